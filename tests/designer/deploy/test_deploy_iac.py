"""IaC export: the CloudFormation template passes cfn-lint and its DefinitionString, with
DefinitionSubstitutions applied as CloudFormation applies them (each ${Name} replaced by its value:
CloudFormation User Guide, AWS::StepFunctions::StateMachine, "DefinitionSubstitutions"), equals
what publish sends; the Terraform file parses as HCL (python-hcl2) and its templatefile,
rendered with its variables, gives the same text."""

import io
import json
import re
import zipfile

import hcl2
import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from designer.deploy import iac, publish, targets
from tests.designer.deploy.conftest import ROLE, make_workflow

pytestmark = pytest.mark.django_db

TRICKY = {
    "Comment": "50%{literal} and quotes",
    "StartAt": "Greet",
    "States": {
        "Greet": {"Type": "Task", "Resource": "${GreetFn}", "Next": "Done"},
        "Done": {"Type": "Pass", "Result": {"note": "${Note}"}, "End": True},
    },
}
VALUES = {"GreetFn": "arn:aws:lambda:us-east-1:123456789012:function:greet", "Note": 'say "hi"\\now ${x}'}


@pytest.fixture
def target(publisher):
    return targets.create_target(
        publisher,
        name="prod",
        region="eu-west-1",
        role_arn=ROLE,
        substitutions={**VALUES, "Unused": "x"},
        tags={"team": "payments"},
        log_level="ERROR",
        log_group_arn="arn:aws:logs:eu-west-1:123456789012:log-group:sfn:*",
        tracing_enabled=True,
    )


def cloudformation_substitute(text: str, values: dict) -> str:
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def test_cloudformation_template_lints_and_deploys_what_publish_sends(publisher, target):
    workflow = make_workflow(publisher, "tricky", TRICKY, message="the first")
    body = iac.cloudformation(workflow, publisher, target=target, alias="live")
    assert lint(body, config=ManualArgs(regions=["eu-west-1"])) == []
    template = yaml.safe_load(body)
    machine = template["Resources"]["StateMachine"]["Properties"]
    sent = publish.prepare(workflow, publisher, target, None, "").definition
    assert cloudformation_substitute(machine["DefinitionString"], machine["DefinitionSubstitutions"]) == sent
    assert set(machine["DefinitionSubstitutions"]) == {"GreetFn", "Note"}
    assert machine["StateMachineType"] == "STANDARD" and machine["RoleArn"] == ROLE
    assert machine["Tags"] == [{"Key": "team", "Value": "payments"}]
    assert machine["TracingConfiguration"] == {"Enabled": True}
    assert template["Resources"]["StateMachineVersion"]["Properties"]["Description"] == "the first"
    alias = template["Resources"]["StateMachineAlias"]["Properties"]
    assert alias["Name"] == "live"
    assert alias["RoutingConfiguration"] == [
        {"StateMachineVersionArn": {"Ref": "StateMachineVersion"}, "Weight": 100}
    ]


def test_a_broken_template_would_be_caught_by_the_lint(publisher, target):
    workflow = make_workflow(publisher, "tricky", TRICKY)
    template = yaml.safe_load(iac.cloudformation(workflow, publisher, target=target))
    template["Resources"]["StateMachine"]["Properties"]["StateMachineType"] = "FAST"
    assert lint(yaml.safe_dump(template), config=ManualArgs(regions=["eu-west-1"])) != []


def render_templatefile(template: str, variables: dict) -> str:
    """Terraform's templatefile for a template whose only sequences are ${name} and the escapes
    $${ and %%{ (what the export writes)."""
    out, index = [], 0
    while index < len(template):
        if template.startswith("$${", index) or template.startswith("%%{", index):
            out.append(template[index + 1 : index + 3])
            index += 3
        elif template.startswith("${", index):
            end = template.index("}", index)
            out.append(variables[template[index + 2 : end]])
            index = end + 1
        else:
            out.append(template[index])
            index += 1
    return "".join(out)


def test_terraform_parses_and_its_templatefile_gives_what_publish_sends(publisher, target):
    workflow = make_workflow(publisher, "tricky", TRICKY)
    files = iac.terraform(workflow, publisher, target=target, alias="live")
    assert set(files) == {"main.tf", "tricky.asl.json"}
    parsed = hcl2.loads(files["main.tf"])  # python-hcl2 keeps HCL's quotes around names and strings
    machine = parsed["resource"][0]['"aws_sfn_state_machine"']['"tricky"']
    assert machine["publish"] is True and json.loads(machine["type"]) == "STANDARD"
    assert json.loads(machine["logging_configuration"][0]["log_destination"]) == target.log_group_arn
    # The templatefile call as parsed; its variables are HCL strings (JSON's escapes, $${ for ${).
    call = machine["definition"]
    assert call.startswith('${templatefile("${path.module}/tricky.asl.json", {')
    variables = {
        name: json.loads(value).replace("$${", "${").replace("%%{", "%{")
        for name, value in re.findall(r'(\w+) = ("(?:[^"\\]|\\.)*")', call.split("{", 2)[2])
    }
    assert set(variables) == {"GreetFn", "Note"}
    sent = publish.prepare(workflow, publisher, target, None, "").definition
    assert render_templatefile(files["tricky.asl.json"], variables) == sent
    alias = parsed["resource"][1]['"aws_sfn_alias"']['"live"']
    assert alias["routing_configuration"][0]["weight"] == 100


def test_rest_export(api_for, publisher, target):
    workflow = make_workflow(publisher, "tricky", TRICKY)
    api = api_for(publisher)
    url = f"/api/workflows/{workflow.pk}/iac/"
    cfn = api.get(url, {"format": "cloudformation", "target": "prod"})
    assert cfn.status_code == 200 and cfn["Content-Disposition"] == 'attachment; filename="tricky.cfn.yaml"'
    assert "AWS::StepFunctions::StateMachine" in cfn.content.decode()
    tf = api.get(url, {"format": "terraform", "target": "prod", "alias": "live"})
    assert zipfile.ZipFile(io.BytesIO(tf.content)).namelist() == ["main.tf", "tricky.asl.json"]
    bad = api.get(url, {"format": "pulumi", "target": "prod"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "format"
    targets.update_target(target, publisher, substitutions={})
    missing = api.get(url, {"format": "cloudformation", "target": "prod"})
    assert missing.status_code == 400 and missing.json()["code"] == "UNRESOLVED_SUBSTITUTION"
