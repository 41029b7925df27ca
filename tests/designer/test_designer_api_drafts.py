import json

import pytest
from django.conf import settings

from designer import services
from designer.models import Draft

YAML_TEXT = "# kept\nStartAt: A\nStates:\n  A: {Type: Pass, End: true}\n"


@pytest.fixture
def workflow(author):
    return services.create_workflow(author, name="w", visibility="shared")


def url(workflow) -> str:
    return f"/api/workflows/{workflow.pk}/draft/"


def test_get_draft_has_etag_and_exact_text(api, workflow):
    response = api.get(url(workflow))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["definition"] == services.NEW_WORKFLOW_DEFINITION
    assert body["revision"] == 1
    assert body["layout"] == {}
    assert body["updated_by"] == "ana"


def test_put_with_if_match_saves_text_byte_for_byte(api, workflow):
    response = api.put(
        url(workflow),
        {"definition": YAML_TEXT, "layout": {"A": {"x": 1}}},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    draft = Draft.objects.get(pk=workflow.pk)
    assert draft.definition == YAML_TEXT
    assert draft.format == "yaml"
    assert draft.layout == {"A": {"x": 1}}


@pytest.mark.parametrize("if_match", ['W/"1"', "1"])
def test_if_match_accepts_weak_and_bare_forms(api, workflow, if_match):
    response = api.put(url(workflow), {"layout": {"zoom": 2}}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 200
    assert response.json()["definition"] == services.NEW_WORKFLOW_DEFINITION


def test_revision_in_body_works_without_if_match(api, workflow):
    response = api.put(url(workflow), {"layout": {"zoom": 2}, "revision": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["revision"] == 2


def test_missing_revision_is_428_and_nothing_changes(api, workflow):
    response = api.put(url(workflow), {"definition": YAML_TEXT}, format="json")
    assert response.status_code == 428
    body = response.json()
    assert body["code"] == "REVISION_REQUIRED"
    assert body["current_revision"] == 1
    assert Draft.objects.get(pk=workflow.pk).definition == services.NEW_WORKFLOW_DEFINITION


def test_stale_revision_is_409_and_the_other_save_survives(api, api_for, other_author, workflow):
    first = api_for(other_author).put(
        url(workflow), {"definition": YAML_TEXT}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert first.status_code == 200
    response = api.put(
        url(workflow), {"definition": '{"StartAt": "Mine"}'}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "STALE_REVISION"
    assert body["current_revision"] == 2
    assert body["your_revision"] == 1
    assert "Nothing was saved" in body["message"]
    draft = Draft.objects.get(pk=workflow.pk)
    assert (draft.definition, draft.revision) == (YAML_TEXT, 2)


def test_if_match_that_is_not_a_revision_is_400(api, workflow):
    response = api.put(url(workflow), {"layout": {}}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "If-Match"


def test_empty_put_is_400(api, workflow):
    response = api.put(url(workflow), {}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_REQUEST"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [('{\n  "StartAt": "A",\n  "States": {\n}', 4, 2), ("StartAt: A\nStates: [\n", 3, 1)],
)
def test_malformed_definition_is_400_with_location(api, workflow, text, line, column):
    response = api.put(url(workflow), {"definition": text}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_JSON_DESCRIPTION"
    [entry] = body["errors"]
    assert (entry["field"], entry["line"], entry["column"]) == ("definition", line, column)
    assert Draft.objects.get(pk=workflow.pk).revision == 1


def test_definition_over_1_mib_is_413(api, workflow):
    text = json.dumps({"Comment": "x" * settings.MAX_DEFINITION_BYTES, "StartAt": "A", "States": {}})
    response = api.put(url(workflow), {"definition": text}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "DEFINITION_TOO_LARGE"
    assert body["limit"] == 1024 * 1024
    assert body["errors"][0]["field"] == "definition"
    assert Draft.objects.get(pk=workflow.pk).revision == 1


def test_definition_exactly_at_the_limit_is_accepted(api, workflow):
    head, tail = '{"Comment": "', '", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'
    text = head + "x" * (settings.MAX_DEFINITION_BYTES - len(head) - len(tail)) + tail
    assert len(text.encode()) == settings.MAX_DEFINITION_BYTES
    response = api.put(url(workflow), {"definition": text}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200


def test_layout_must_be_an_object(api, workflow):
    response = api.put(url(workflow), {"layout": [1, 2]}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "layout"


def test_viewer_cannot_save_draft(api_for, viewer, workflow):
    response = api_for(viewer).put(url(workflow), {"layout": {}}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 403


def test_if_none_match_answers_304_until_the_draft_changes(api, workflow):
    unchanged = api.get(url(workflow), HTTP_IF_NONE_MATCH='"1"')
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == '"1"'
    api.put(url(workflow), {"layout": {"x": 1}}, format="json", HTTP_IF_MATCH='"1"')
    changed = api.get(url(workflow), HTTP_IF_NONE_MATCH='"1"')
    assert changed.status_code == 200
    assert changed.json()["layout"] == {"x": 1}
