import pytest

from designer import services
from designer.models import definition_sha256


@pytest.fixture
def workflow(author):
    return services.create_workflow(author, name="w")


def versions_url(workflow) -> str:
    return f"/api/workflows/{workflow.pk}/versions/"


def test_create_list_and_get_versions(api, workflow):
    first = api.post(versions_url(workflow), {"message": "first"}, format="json")
    assert first.status_code == 201
    body = first.json()
    assert body["number"] == 1
    assert body["author"] == "ana"
    assert body["definition"] == services.NEW_WORKFLOW_DEFINITION
    assert body["sha256"] == definition_sha256(services.NEW_WORKFLOW_DEFINITION)
    assert body["draft_revision"] == 1
    api.put(
        f"/api/workflows/{workflow.pk}/draft/",
        {"definition": "StartAt: B\nStates:\n  B: {Type: Succeed}\n"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    second = api.post(versions_url(workflow), {"message": "second"}, format="json", HTTP_IF_MATCH='"2"')
    assert second.json()["number"] == 2

    listing = api.get(versions_url(workflow)).json()
    assert listing["count"] == 2
    assert [v["number"] for v in listing["results"]] == [2, 1]
    assert "definition" not in listing["results"][0]

    one = api.get(f"{versions_url(workflow)}1/").json()
    assert one["definition"] == services.NEW_WORKFLOW_DEFINITION
    assert api.get(f"/api/workflows/{workflow.pk}/").json()["version_count"] == 2


def test_version_of_a_stale_revision_is_409(api, workflow):
    response = api.post(versions_url(workflow), {"message": "x"}, format="json", HTTP_IF_MATCH='"5"')
    assert response.status_code == 409
    assert response.json()["current_revision"] == 1
    assert api.get(versions_url(workflow)).json()["count"] == 0


def test_unknown_version_is_404(api, workflow):
    response = api.get(f"{versions_url(workflow)}9/")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_versions_cannot_be_changed_through_the_api(api, workflow):
    api.post(versions_url(workflow), {"message": "first"}, format="json")
    assert api.put(f"{versions_url(workflow)}1/", {"message": "x"}, format="json").status_code == 405
    assert api.delete(f"{versions_url(workflow)}1/").status_code == 405
    assert api.get(f"{versions_url(workflow)}1/").json()["message"] == "first"


def test_viewer_cannot_create_versions(api_for, author, viewer):
    workflow = services.create_workflow(author, name="shared-one", visibility="shared")
    response = api_for(viewer).post(versions_url(workflow), {"message": "x"}, format="json")
    assert response.status_code == 403


def test_version_of_an_invalid_draft_is_400_with_diagnostics(api, workflow):
    api.put(
        f"/api/workflows/{workflow.pk}/draft/",
        {"definition": '{"StartAt": "Missing", "States": {"A": {"Type": "Succeed"}}}'},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    response = api.post(versions_url(workflow), {"message": "broken"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "DEFINITION_INVALID"
    assert body["errors"][0]["field"] == "definition"
    assert any(d["pointer"] == "/StartAt" for d in body["diagnostics"])
    assert api.get(versions_url(workflow)).json()["count"] == 0
