"""Named test inputs kept with a workflow for the Run dialog: JSON text within StartExecution's
256 KiB input limit (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html),
unique names per workflow, written by whoever may run the workflow."""

import pytest

from designer import services
from designer.roles import REVIEWERS


@pytest.fixture
def workflow(author):
    return services.create_workflow(author, name="w")


def url(workflow, pk: int | None = None) -> str:
    base = f"/api/workflows/{workflow.pk}/test-inputs/"
    return f"{base}{pk}/" if pk else base


def test_keep_list_change_and_forget_inputs(api, workflow):
    created = api.post(url(workflow), {"name": "happy path", "input": '{\n  "ok": true\n}'}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["input"], body["updated_by"]) == ("happy path", '{\n  "ok": true\n}', "ana")
    api.post(url(workflow), {"name": "big order", "input": "[1, 2]"}, format="json")
    assert [t["name"] for t in api.get(url(workflow)).json()] == ["big order", "happy path"]

    changed = api.put(url(workflow, body["id"]), {"name": "happy", "input": '"text"'}, format="json")
    assert changed.status_code == 200
    assert changed.json()["input"] == '"text"'
    assert api.delete(url(workflow, body["id"])).status_code == 204
    assert [t["name"] for t in api.get(url(workflow)).json()] == ["big order"]
    assert api.get(f"/api/workflows/{workflow.pk}/").json()["links"]["test_inputs"] == url(workflow)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"name": "x", "input": "{oops"}, "INVALID_JSON", "input"),
        ({"name": "  ", "input": "{}"}, "INVALID_REQUEST", "name"),
        ({"name": "n" * 81, "input": "{}"}, "INVALID_NAME", "name"),
        ({"name": "x", "input": '"' + "a" * 256 * 1024 + '"'}, "INPUT_TOO_LARGE", "input"),
        ({"name": "x", "input": {"a": 1}}, "INVALID_REQUEST", "input"),
        ({"input": "{}"}, "INVALID_REQUEST", "name"),
    ],
)
def test_bad_inputs_are_400_naming_the_field(api, workflow, body, code, field):
    response = api.post(url(workflow), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["errors"][0]["field"] == field
    assert workflow.test_inputs.count() == 0


def test_a_name_in_use_is_409(api, workflow):
    api.post(url(workflow), {"name": "a", "input": "{}"}, format="json")
    second = api.post(url(workflow), {"name": "b", "input": "{}"}, format="json").json()
    assert api.post(url(workflow), {"name": "a", "input": "1"}, format="json").status_code == 409
    renamed = api.put(url(workflow, second["id"]), {"name": "a", "input": "{}"}, format="json")
    assert renamed.status_code == 409
    assert renamed.json()["code"] == "TEST_INPUT_NAME_TAKEN"


def test_who_may_not_run_may_read_but_not_write(api_for, make_user, workflow, author, viewer):
    services.update_workflow(workflow, author, visibility="shared")
    kept = api_for(author).post(url(workflow), {"name": "a", "input": "{}"}, format="json").json()
    for user in (viewer, make_user("rita", REVIEWERS)):
        client = api_for(user)
        assert [t["name"] for t in client.get(url(workflow)).json()] == ["a"]
        assert client.post(url(workflow), {"name": "b", "input": "{}"}, format="json").status_code == 403
        assert client.delete(url(workflow, kept["id"])).status_code == 403
    assert workflow.test_inputs.count() == 1


def test_another_workflows_input_is_404(api, author, workflow):
    other = services.create_workflow(author, name="other")
    kept = api.post(url(other), {"name": "a", "input": "{}"}, format="json").json()
    assert api.delete(url(workflow, kept["id"])).status_code == 404
