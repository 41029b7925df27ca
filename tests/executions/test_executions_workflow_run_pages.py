"""The pages around runs of designer workflows: the workflow list's last run, the Run button on a
version's page and the editor, "Run again" and the way back on an execution started from a
workflow; each offered only to who may run the workflow (designer.services.can_run)."""

import json
import re

import pytest

from designer import services
from executions.models import Execution, ExecutionStatus
from executions.services.runs import start_workflow_run
from tests.executions.conftest import start_execution_of

pytestmark = pytest.mark.django_db

DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


@pytest.fixture
def workflow(author):
    workflow = services.create_workflow(author, name="greeter", definition=DEFINITION, visibility="shared")
    services.create_version(workflow, author, message="first")
    return workflow


def page_data(html: str, element_id: str):
    """What a page embeds with json_script for its script."""
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match[1])


def test_the_list_shows_each_workflows_last_run(client, author, workflow):
    client.force_login(author)
    assert "never run" in client.get("/workflows/").content.decode()
    start_workflow_run(workflow, author, input="{}")
    latest = start_workflow_run(workflow, author, input="{}", version=workflow.versions.get())
    Execution.objects.filter(pk=latest.pk).update(status=ExecutionStatus.FAILED)
    page = client.get("/workflows/").content.decode()
    assert f'data-status="FAILED" href="/executions/{latest.pk}/"' in page
    assert ">Failed</a>" in page


def test_the_last_run_shown_is_one_the_user_may_open(client, author, other_author, workflow):
    start_workflow_run(workflow, other_author, input="{}")
    client.force_login(author)
    assert "never run" in client.get("/workflows/").content.decode()


def test_the_run_button_is_for_who_may_run(client, author, viewer, workflow):
    client.force_login(author)
    version_page = client.get(f"/workflows/{workflow.pk}/versions/1/").content.decode()
    assert 'data-run-target="1"' in version_page
    assert page_data(version_page, "run-data")["links"]["runs"] == f"/api/workflows/{workflow.pk}/runs/"
    editor = client.get(f"/workflows/{workflow.pk}/").content.decode()
    assert page_data(editor, "editor-data")["workflow"]["can_run"] is True
    client.force_login(viewer)
    assert "data-run-target" not in client.get(f"/workflows/{workflow.pk}/versions/1/").content.decode()
    editor = client.get(f"/workflows/{workflow.pk}/").content.decode()
    assert page_data(editor, "editor-data")["workflow"]["can_run"] is False


def test_an_execution_from_a_workflow_knows_its_way_back(client, author, workflow, django_user_model):
    draft_run = start_workflow_run(workflow, author, input='{"who": "Ana"}', name="from-draft")
    client.force_login(author)
    data = page_data(client.get(f"/executions/{draft_run.pk}/").content.decode(), "execution-data")
    assert data["workflow"]["links"]["page"] == f"/workflows/{workflow.pk}/"
    assert (data["workflow"]["version"], data["workflow"]["source"]) == (None, "draft revision 1")
    assert (data["workflow"]["input"], data["workflow"]["canRun"]) == ('{"who": "Ana"}', True)
    version_run = start_workflow_run(workflow, author, input="{}", version=workflow.versions.get())
    data = page_data(client.get(f"/executions/{version_run.pk}/").content.decode(), "execution-data")
    assert (data["workflow"]["version"], data["workflow"]["source"]) == (1, "version 1")


def test_an_execution_started_otherwise_has_no_workflow(client, author):
    execution = start_execution_of(author, "plain", DEFINITION, input="{}")
    client.force_login(author)
    assert (
        page_data(client.get(f"/executions/{execution.pk}/").content.decode(), "execution-data")["workflow"]
        is None
    )
