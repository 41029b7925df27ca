import json
import re
from io import StringIO
from pathlib import Path

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from designer import services
from designer.models import Workflow
from designer.roles import ROLE_PERMISSIONS
from executions.models import EventRule, StateMachine

SAMPLES = Path(__file__).resolve().parents[2] / "designer" / "samples"


def run_bootstrap(*args: str) -> str:
    out = StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


def test_first_run_creates_roles_admin_and_samples_and_prints_the_password_once(db):
    output = run_bootstrap()
    password = re.search(r"password: (\S+)", output).group(1)
    assert authenticate(username="admin", password=password) is not None
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLE_PERMISSIONS)
    authors = Group.objects.get(name="authors")
    assert authors.permissions.filter(codename="change_draft").exists()
    assert Group.objects.get(name="publishers").permissions.filter(codename="publish_workflow").exists()
    assert Workflow.objects.count() == 9

    again = run_bootstrap()
    assert "password" not in again
    assert get_user_model().objects.count() == 1
    assert Workflow.objects.count() == 9
    # The onboarding sample's local EventBridge rule, once, on its workflow's state machine.
    [rule] = EventRule.objects.all()
    assert rule.name == "customer-signed-up"
    assert rule.state_machine_arn == StateMachine.objects.get(workflow__name="onboard-customer").arn


def test_generated_passwords_differ_between_installations(db):
    first = re.search(r"password: (\S+)", run_bootstrap("--no-samples")).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"password: (\S+)", run_bootstrap("--no-samples")).group(1)
    assert first != second


def test_samples_are_stored_as_written_and_an_edited_sample_is_kept(db):
    run_bootstrap()
    manifest = json.loads((SAMPLES / "samples.json").read_text())
    for sample in manifest:
        workflow = Workflow.objects.get(name=sample["name"])
        assert workflow.draft.definition == (SAMPLES / sample["file"]).read_text()
        assert workflow.type == sample["type"]
        assert workflow.visibility == "shared"
        assert not services.has_errors(services.validate_definition(workflow.draft.definition)), sample[
            "file"
        ]
        # Its example input is offered by the Run dialog (tests/executions/test_executions_samples.py
        # runs each sample to its end with it).
        examples = [(t.name, json.loads(t.input)) for t in workflow.test_inputs.all()]
        assert examples == [("example", sample["input"])]
    admin = get_user_model().objects.get(username="admin")
    edited = Workflow.objects.get(name="order-processing")
    services.save_draft(edited, admin, expected_revision=1, definition='{"StartAt": "Edited"}')
    run_bootstrap()
    edited.draft.refresh_from_db()
    assert edited.draft.definition == '{"StartAt": "Edited"}'


def test_the_samples_cover_what_the_issues_name(db):
    manifest = json.loads((SAMPLES / "samples.json").read_text())
    assert [s["name"] for s in manifest] == [
        "order-processing",
        "brand-asset-pipeline",
        "iot-pipeline",
        "async-report-api",
        "customer-onboarding",
        "sensor-batch-import",
        "order-fulfilment",
        "customer-signup",
        "onboard-customer",
    ]
    brand = (SAMPLES / "brand-asset-pipeline.asl.json").read_text()
    assert ".waitForTaskToken" in brand and '"Type": "Parallel"' in brand and '"Catch"' in brand
    assert (
        json.loads((SAMPLES / "iot-pipeline.asl.json").read_text())["States"]["EnrichReading"]["Type"]
        == "Parallel"
    )
    assert next(s for s in manifest if s["name"] == "iot-pipeline")["type"] == "EXPRESS"
    order = (SAMPLES / "order-fulfilment.asl.json").read_text()
    assert "arn:aws:states:::sqs:sendMessage.waitForTaskToken" in order
    assert "arn:aws:states:::events:putEvents" in (SAMPLES / "customer-signup.asl.json").read_text()
    rule = next(s for s in manifest if s["name"] == "onboard-customer")["rule"]
    assert rule["pattern"] == {"source": ["symphony.samples.signup"], "detail-type": ["CustomerSignedUp"]}
