"""`POST /api/workflows/<id>/runs/`: the Run dialog's call. It runs the draft or a version on the
workflow's state machine, takes StartExecution's input and name rules
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html),
and is refused to whoever may not start executions."""

import json
import time

import pytest

from designer import services
from designer.roles import REVIEWERS
from executions.models import Execution, WorkflowRun

pytestmark = pytest.mark.django_db

DRAFT = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "draft", "End": True}}})
V1 = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "v1", "End": True}}})


@pytest.fixture
def workflow(author):
    workflow = services.create_workflow(author, name="greeter", definition=V1)
    services.create_version(workflow, author, message="first")
    services.save_draft(workflow, author, expected_revision=1, definition=DRAFT)
    return workflow


def runs_url(workflow) -> str:
    return f"/api/workflows/{workflow.pk}/runs/"


def test_the_draft_runs_with_its_input_and_name(api, workflow):
    response = api.post(runs_url(workflow), {"input": '{"who": "Ana"}', "name": "try-1"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    execution = Execution.objects.get(pk=body["id"])
    assert (body["name"], body["status"]) == ("try-1", "RUNNING")
    assert (body["version"], body["draft_revision"]) == (None, 2)
    assert body["links"]["page"] == f"/executions/{execution.pk}/"
    assert execution.definition == DRAFT
    assert json.loads(execution.input) == {"who": "Ana"}
    assert execution.state_machine_name == "greeter"
    assert WorkflowRun.objects.get(execution=execution).workflow == workflow


def test_a_version_runs_by_number_and_the_list_shows_both(api, workflow):
    api.post(runs_url(workflow), {}, format="json")
    response = api.post(runs_url(workflow), {"version": 1}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1
    assert Execution.objects.get(pk=response.json()["id"]).definition == V1
    listed = api.get(runs_url(workflow)).json()
    assert [(r["version"], r["input"]) for r in listed] == [(1, "{}"), (None, "{}")]


def test_versions_show_their_id(api, workflow):
    listed = api.get(f"/api/workflows/{workflow.pk}/versions/").json()["results"]
    assert listed[0]["id"] == workflow.versions.get(number=1).pk


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"input": "{not json"}, 400, "InvalidExecutionInput", "input"),
        ({"input": {"a": 1}}, 400, "INVALID_REQUEST", "input"),
        ({"name": "has space"}, 400, "InvalidName", "name"),
        ({"version": 0}, 400, "INVALID_REQUEST", "version"),
        ({"version": "two"}, 400, "INVALID_REQUEST", "version"),
    ],
)
def test_bad_requests_name_the_field(api, workflow, body, status, code, field):
    response = api.post(runs_url(workflow), body, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["errors"][0]["field"] == field
    assert not Execution.objects.exists()


def test_an_unknown_version_is_404(api, workflow):
    assert api.post(runs_url(workflow), {"version": 9}, format="json").status_code == 404


def test_a_name_in_use_is_409(api, workflow):
    api.post(runs_url(workflow), {"name": "once"}, format="json")
    response = api.post(runs_url(workflow), {"name": "once", "input": '{"x": 1}'}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "ExecutionAlreadyExists"


def test_a_draft_with_errors_does_not_run(api, workflow, author):
    bad = json.dumps({"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": True}}})
    services.save_draft(workflow, author, expected_revision=2, definition=bad)
    response = api.post(runs_url(workflow), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidDefinition"
    assert response.json()["message"].startswith("The draft cannot run:")
    # The version still runs.
    assert api.post(runs_url(workflow), {"version": 1}, format="json").status_code == 201


def test_reviewers_and_viewers_may_not_run(api_for, make_user, workflow, author, viewer):
    services.update_workflow(workflow, author, visibility="shared")
    for user in (viewer, make_user("rita", REVIEWERS)):
        response = api_for(user).post(runs_url(workflow), {}, format="json")
        assert response.status_code == 403, user
        assert response.json()["code"] == "PERMISSION_DENIED"
    assert not Execution.objects.exists()


def test_another_authors_private_workflow_is_404(api_for, other_author, workflow):
    assert api_for(other_author).post(runs_url(workflow), {}, format="json").status_code == 404


def test_a_shared_workflow_runs_for_another_author(api_for, other_author, workflow, author):
    services.update_workflow(workflow, author, visibility="shared")
    response = api_for(other_author).post(runs_url(workflow), {}, format="json")
    assert response.status_code == 201
    assert Execution.objects.get(pk=response.json()["id"]).owner == other_author
    # Each lists only the runs whose executions they may open: their own.
    mine = api_for(author).post(runs_url(workflow), {}, format="json").json()["id"]
    assert [r["id"] for r in api_for(author).get(runs_url(workflow)).json()] == [mine]
    assert [r["id"] for r in api_for(other_author).get(runs_url(workflow)).json()] == [response.json()["id"]]


def test_anonymous_is_401(client, workflow):
    assert client.post(runs_url(workflow), {}, content_type="application/json").status_code == 401


def test_run_from_here_starts_the_draft_at_a_state_with_its_variables(api, workflow, author):
    chain = json.dumps(
        {
            "StartAt": "One",
            "States": {
                "One": {"Type": "Pass", "Assign": {"n": 1}, "Next": "Two"},
                "Two": {"Type": "Pass", "Next": "Three"},
                "Three": {"Type": "Succeed"},
            },
        }
    )
    services.save_draft(workflow, author, expected_revision=2, definition=chain)
    body = {"start_at": "Two", "variables": {"n": 1}, "input": '{"at": "two"}'}
    response = api.post(runs_url(workflow), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["start_at"] == "Two"
    ran = json.loads(Execution.objects.get(pk=response.json()["id"]).definition)
    assert ran["StartAt"] == "Run from here"
    assert list(ran["States"]) == ["Run from here", "Two", "Three"]
    assert ran["States"]["Run from here"] == {"Type": "Pass", "Assign": {"n": 1}, "Next": "Two"}

    unknown = api.post(runs_url(workflow), {"start_at": "Nowhere"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0] == {
        "field": "start_at",
        "message": "The definition has no state 'Nowhere' at the top level to start at.",
    }


def test_run_from_a_state_inside_a_parallel_branch_runs_the_rest_of_that_branch(api, workflow, author):
    fan = json.dumps(
        {
            "StartAt": "Fan",
            "States": {
                "Fan": {
                    "Type": "Parallel",
                    "Branches": [
                        {
                            "StartAt": "A",
                            "States": {
                                "A": {"Type": "Pass", "Next": "B"},
                                "B": {"Type": "Pass", "End": True},
                            },
                        }
                    ],
                    "End": True,
                }
            },
        }
    )
    services.save_draft(workflow, author, expected_revision=2, definition=fan)
    body = {"start_at": "B", "within": ["States", "Fan", "Branches", 0], "variables": {"k": 2}, "input": "{}"}
    response = api.post(runs_url(workflow), body, format="json")
    assert response.status_code == 201, response.json()
    ran = json.loads(Execution.objects.get(pk=response.json()["id"]).definition)
    assert list(ran["States"]) == ["Run from here", "B"]
    wrong = api.post(runs_url(workflow), {**body, "within": ["States", "Fan"]}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["field"] == "start_at"
    assert "not a Parallel branch" in wrong.json()["errors"][0]["message"]


@pytest.mark.django_db(transaction=True)
def test_a_states_last_input_is_what_the_latest_run_gave_it(api, workflow, author, other_author, api_for):
    """What "Test this state" starts from: the input the state received in the caller's last
    run of the workflow (the runner really runs it)."""
    two = json.dumps(
        {
            "StartAt": "A",
            "States": {"A": {"Type": "Pass", "Result": {"n": 2}, "Next": "B"}, "B": {"Type": "Succeed"}},
        }
    )
    services.save_draft(workflow, author, expected_revision=2, definition=two)
    url = f"/api/workflows/{workflow.pk}/runs/last-input/?state=B"
    assert api.get(url).status_code == 404  # never ran
    run = api.post(runs_url(workflow), {"input": '{"who": "Ana"}'}, format="json").json()
    deadline = time.time() + 30
    while Execution.objects.get(pk=run["id"]).status == "RUNNING":
        assert time.time() < deadline, "the run did not finish"
        time.sleep(0.05)
    answer = api.get(url).json()
    assert (json.loads(answer["input"]), answer["execution"]) == ({"n": 2}, run["id"])
    assert json.loads(api.get(url.replace("state=B", "state=A")).json()["input"]) == {"who": "Ana"}
    # Another author's runs are theirs (the workflow is private to its owner anyway).
    assert api_for(other_author).get(url).status_code == 404
