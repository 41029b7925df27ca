import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from designer import services
from designer.models import Workflow

LIST = "/api/workflows/"


def detail(workflow_id: int) -> str:
    return f"/api/workflows/{workflow_id}/"


def test_unauthenticated_requests_get_401_with_a_code(db):
    response = APIClient().get(LIST)
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_gets_401(db):
    response = APIClient().get(LIST, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.json()["code"] == "AUTHENTICATION_FAILED"


def test_token_from_the_token_endpoint_authenticates(author):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "ana", "password": "pw-12345!"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=author).key == token
    created = client.post(LIST, {"name": "by-token"}, format="json", HTTP_AUTHORIZATION=f"Token {token}")
    assert created.status_code == 201
    assert created.json()["owner"] == "ana"


def test_wrong_password_for_token_is_400_with_field(author):
    response = APIClient().post("/api/auth/token/", {"username": "ana", "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST"


def test_session_auth_enforces_csrf(author):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(LIST, {"name": "no-csrf"}, format="json")
    assert response.status_code == 403
    assert not Workflow.objects.exists()


def test_create_then_get_workflow(api):
    response = api.post(
        LIST,
        {
            "name": "orders",
            "description": "d",
            "type": "EXPRESS",
            "tags": {"team": "pay"},
            "visibility": "shared",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "orders"
    assert body["type"] == "EXPRESS"
    assert body["tags"] == {"team": "pay"}
    assert body["revision"] == 1
    assert body["version_count"] == 0
    assert body["links"]["draft"] == f"/api/workflows/{body['id']}/draft/"
    assert body["links"]["page"] == f"/workflows/{body['id']}/"
    fetched = api.get(detail(body["id"])).json()
    assert fetched == body


def test_create_with_definition_stores_it_exactly(api):
    text = "StartAt: A\nStates:\n  A:\n    Type: Succeed   # done\n"
    body = api.post(LIST, {"name": "yaml-one", "definition": text}, format="json").json()
    draft = api.get(f"/api/workflows/{body['id']}/draft/").json()
    assert draft["definition"] == text
    assert draft["format"] == "yaml"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "STATE_MACHINE_NAME_EMPTY"),
        ("a" * 81, "STATE_MACHINE_NAME_TOO_LONG"),
        ("bad name!", "STATE_MACHINE_NAME_INVALID"),
    ],
)
def test_bad_name_is_400_naming_the_field(api, name, code):
    response = api.post(LIST, {"name": name}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["errors"][0]["field"] == "name"
    assert not Workflow.objects.exists()


def test_missing_name_and_wrong_types_are_400_naming_the_field(api):
    body = api.post(LIST, {"type": "NOPE", "tags": "x"}, format="json").json()
    assert body["code"] == "INVALID_REQUEST"
    assert {e["field"] for e in body["errors"]} == {"name", "type", "tags"}


def test_malformed_request_json_is_400(api):
    response = api.post(LIST, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "MALFORMED_REQUEST"


def test_duplicate_name_is_409(api):
    api.post(LIST, {"name": "dup"}, format="json")
    response = api.post(LIST, {"name": "dup"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "WORKFLOW_NAME_TAKEN"
    assert response.json()["errors"][0]["field"] == "name"


def test_malformed_definition_on_create_is_400_with_line_and_column(api):
    response = api.post(LIST, {"name": "broken", "definition": '{\n  "StartAt": \n}'}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_JSON_DESCRIPTION"
    assert body["errors"][0]["field"] == "definition"
    assert body["errors"][0]["line"] == 3
    assert body["errors"][0]["column"] == 1
    assert not Workflow.objects.exists()


def test_another_users_private_workflow_is_404_everywhere(api_for, author, other_author):
    workflow = services.create_workflow(author, name="secret")
    client = api_for(other_author)
    for url in [detail(workflow.pk), f"{detail(workflow.pk)}draft/", f"{detail(workflow.pk)}versions/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "NOT_FOUND"
    assert client.patch(detail(workflow.pk), {"name": "stolen"}, format="json").status_code == 404
    assert client.delete(detail(workflow.pk)).status_code == 404
    assert client.get(LIST).json()["count"] == 0
    assert Workflow.objects.get(pk=workflow.pk).name == "secret"


def test_viewer_sees_shared_but_cannot_change_it(api_for, author, viewer):
    workflow = services.create_workflow(author, name="public", visibility="shared")
    client = api_for(viewer)
    assert client.get(detail(workflow.pk)).status_code == 200
    response = client.patch(detail(workflow.pk), {"description": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"
    assert client.post(LIST, {"name": "mine"}, format="json").status_code == 403


def test_patch_updates_fields_and_validates(api, author):
    workflow = services.create_workflow(author, name="w")
    response = api.patch(detail(workflow.pk), {"name": "renamed", "tags": {"a": "b"}}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "renamed"
    bad = api.patch(detail(workflow.pk), {"name": "no spaces"}, format="json")
    assert bad.status_code == 400
    assert Workflow.objects.get(pk=workflow.pk).name == "renamed"


def test_delete_workflow(api, author, api_for, other_author):
    workflow = services.create_workflow(author, name="w", visibility="shared")
    assert api_for(other_author).delete(detail(workflow.pk)).status_code == 403
    assert api.delete(detail(workflow.pk)).status_code == 204
    assert api.get(detail(workflow.pk)).status_code == 404


def test_list_filters_search_ordering_and_pagination(api, author, other_author):
    services.create_workflow(author, name="orders-eu", type="EXPRESS", tags={"team": "pay"})
    services.create_workflow(author, name="orders-us", description="the US flow", tags={"team": "ops"})
    services.create_workflow(author, name="reports", tags={"beta": ""})
    services.create_workflow(other_author, name="theirs", visibility="shared")

    def names(query: str) -> list[str]:
        response = api.get(LIST + query)
        assert response.status_code == 200, response.json()
        return sorted(w["name"] for w in response.json()["results"])

    assert names("") == ["orders-eu", "orders-us", "reports", "theirs"]
    assert names("?search=orders") == ["orders-eu", "orders-us"]
    assert names("?search=US+flow") == ["orders-us"]
    assert names("?type=EXPRESS") == ["orders-eu"]
    assert names("?tag=team") == ["orders-eu", "orders-us"]
    assert names("?tag=team=ops") == ["orders-us"]
    assert names("?tag=beta") == ["reports"]
    assert names("?owner=me") == ["orders-eu", "orders-us", "reports"]
    assert names("?owner=ben") == ["theirs"]
    assert names("?visibility=shared") == ["theirs"]
    ordered = api.get(LIST + "?ordering=name").json()["results"]
    assert [w["name"] for w in ordered] == ["orders-eu", "orders-us", "reports", "theirs"]
    page = api.get(LIST + "?ordering=name&page_size=3&page=2").json()
    assert page["count"] == 4
    assert [w["name"] for w in page["results"]] == ["theirs"]
    assert page["previous"] is not None


def test_bad_filter_value_is_400(api):
    response = api.get(LIST + "?type=NOPE")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "type"
    assert api.get(LIST + "?page=99").status_code == 404


def test_non_string_definition_and_name_are_400_not_coerced(api):
    response = api.post(LIST, {"name": "n", "definition": 42}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "definition"
    assert api.post(LIST, {"name": 7}, format="json").status_code == 400
    assert not Workflow.objects.exists()


def test_request_body_over_the_server_limit_is_413_json(api, settings):
    body = '{"name": "big", "description": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'
    response = api.post(LIST, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST_TOO_LARGE"
    assert not Workflow.objects.exists()


def test_renaming_onto_an_existing_name_is_409_and_keeps_both(api, author):
    first = services.create_workflow(author, name="first")
    services.create_workflow(author, name="second")
    response = api.patch(detail(first.pk), {"name": "second"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "WORKFLOW_NAME_TAKEN"
    assert sorted(Workflow.objects.values_list("name", flat=True)) == ["first", "second"]
