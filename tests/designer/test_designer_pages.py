import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from designer import services
from designer.models import Draft, Workflow


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def test_pages_need_login(client, db):
    response = client.get("/workflows/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302


def test_login_page_and_login(client, author):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b"Sign in to Symphony" in page.content
    response = client.post("/accounts/login/", {"username": "ana", "password": "pw-12345!"})
    assert response.status_code == 302
    assert response["Location"] == "/workflows/"
    wrong = client.post("/accounts/login/", {"username": "ana", "password": "nope"})
    assert wrong.status_code == 200
    assert b"alert-error" in wrong.content


def test_list_shows_visible_workflows_and_searches(signed_in, author, other_author):
    services.create_workflow(author, name="orders", description="EU orders")
    services.create_workflow(author, name="reports", type="EXPRESS")
    services.create_workflow(other_author, name="hidden")
    page = signed_in.get("/workflows/").content.decode()
    assert "orders" in page and "reports" in page
    assert ">hidden<" not in page
    searched = signed_in.get("/workflows/?q=EU").content.decode()
    assert ">orders<" in searched and ">reports<" not in searched
    typed = signed_in.get("/workflows/?type=EXPRESS").content.decode()
    assert ">reports<" in typed and ">orders<" not in typed


def test_create_from_the_list_page(signed_in):
    response = signed_in.post(
        "/workflows/new", {"name": "made-here", "type": "STANDARD", "visibility": "private"}
    )
    workflow = Workflow.objects.get(name="made-here")
    assert response.status_code == 302
    assert response["Location"] == f"/workflows/{workflow.pk}/"


def test_create_with_a_bad_name_shows_the_error_on_the_field(signed_in):
    response = signed_in.post(
        "/workflows/new", {"name": "bad name", "type": "STANDARD", "visibility": "private"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Use 1-80 letters, digits, hyphens" in page
    assert 'value="bad name"' in page
    assert not Workflow.objects.exists()


def test_import_from_the_list_page(signed_in):
    upload = SimpleUploadedFile("from-file.yaml", b"StartAt: A\nStates:\n  A: {Type: Succeed}\n")
    response = signed_in.post(
        "/workflows/import", {"file": upload, "type": "STANDARD", "visibility": "private", "name": ""}
    )
    assert response.status_code == 302
    assert Draft.objects.get(workflow__name="from-file").definition.startswith("StartAt: A")


def test_import_malformed_text_shows_the_location(signed_in):
    response = signed_in.post(
        "/workflows/import",
        {"text": '{"StartAt": }', "name": "bad", "type": "STANDARD", "visibility": "private"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 1, column 13" in page
    assert '<div class="field has-error">' in page


def embedded_data(page: str) -> dict:
    found = re.search(r'<script id="editor-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page embeds no #editor-data"
    return json.loads(found.group(1))


def test_workflow_page_embeds_the_draft_once_for_the_editor(signed_in, author):
    workflow = services.create_workflow(author, name="w")
    page = signed_in.get(f"/workflows/{workflow.pk}/").content.decode()
    assert re.search(rf'<div id="editor-root"\s+data-workflow-id="{workflow.pk}"', page)
    assert f'data-api-draft="/api/workflows/{workflow.pk}/draft/"' in page
    data = embedded_data(page)
    assert data["draft"]["definition"] == workflow.draft.definition
    assert data["draft"]["revision"] == 1
    assert data["workflow"]["links"]["draft"] == f"/api/workflows/{workflow.pk}/draft/"
    # The no-JS fallback edits the same text; it is the only other copy on the page.
    assert page.count("&quot;StartAt&quot;: &quot;Hello&quot;") == 1


def test_workflow_page_does_not_validate_on_open(signed_in, author, monkeypatch):
    workflow = services.create_workflow(author, name="w")
    Draft.objects.filter(pk=workflow.pk).update(
        definition='{\n  "StartAt": \n}'
    )  # as if stored by an old build
    checked = []
    monkeypatch.setattr(services, "validate_definition", lambda *a, **k: checked.append(a) or [])
    response = signed_in.get(f"/workflows/{workflow.pk}/")
    assert response.status_code == 200
    assert checked == []
    # The broken text still reaches the editor, which shows its problems.
    assert embedded_data(response.content.decode())["draft"]["definition"] == '{\n  "StartAt": \n}'


def test_save_draft_from_the_page_and_conflict_keeps_the_text(signed_in, author, other_author):
    workflow = services.create_workflow(author, name="w", visibility="shared")
    ok = signed_in.post(f"/workflows/{workflow.pk}/", {"definition": "StartAt: Mine\n", "revision": 1})
    assert ok.status_code == 302
    services.save_draft(workflow, other_author, expected_revision=2, definition="StartAt: Theirs\n")
    conflict = signed_in.post(f"/workflows/{workflow.pk}/", {"definition": "StartAt: Again\n", "revision": 2})
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "StartAt: Again" in page
    assert "now at revision 3" in page
    assert Draft.objects.get(pk=workflow.pk).definition == "StartAt: Theirs\n"


def test_settings_and_version_forms(signed_in, author):
    workflow = services.create_workflow(author, name="w")
    response = signed_in.post(
        f"/workflows/{workflow.pk}/settings",
        {
            "name": "w2",
            "type": "EXPRESS",
            "visibility": "shared",
            "description": "x",
            "tags": "team=ops\nbeta=",
        },
    )
    assert response.status_code == 302
    workflow.refresh_from_db()
    assert (workflow.name, workflow.type, workflow.tags) == ("w2", "EXPRESS", {"team": "ops", "beta": ""})
    bad = signed_in.post(
        f"/workflows/{workflow.pk}/settings",
        {"name": "w2", "type": "EXPRESS", "visibility": "shared", "tags": "no equals sign"},
    )
    assert bad.status_code == 400
    assert "Line 1: write key=value." in bad.content.decode()
    # The version form snapshots the draft as it is, whatever revision the page was loaded at.
    services.save_draft(workflow, author, expected_revision=1, definition=services.NEW_WORKFLOW_DEFINITION)
    version = signed_in.post(f"/workflows/{workflow.pk}/versions/", {"message": "v"})
    assert version.status_code == 302
    page = signed_in.get(f"/workflows/{workflow.pk}/versions/1/")
    assert page.status_code == 200
    assert workflow.versions.get().sha256 in page.content.decode()


def test_delete_asks_for_confirmation_then_deletes(signed_in, author):
    workflow = services.create_workflow(author, name="doomed")
    confirm = signed_in.get(f"/workflows/{workflow.pk}/delete/")
    assert confirm.status_code == 200
    assert "Delete doomed?" in confirm.content.decode()
    assert Workflow.objects.filter(pk=workflow.pk).exists()
    response = signed_in.post(f"/workflows/{workflow.pk}/delete/")
    assert response.status_code == 302
    assert not Workflow.objects.filter(pk=workflow.pk).exists()


def test_other_users_cannot_open_or_delete_private_workflows(client, author, other_author):
    workflow = services.create_workflow(author, name="mine")
    client.force_login(other_author)
    assert client.get(f"/workflows/{workflow.pk}/").status_code == 404
    assert client.post(f"/workflows/{workflow.pk}/delete/").status_code == 404
    assert Workflow.objects.filter(pk=workflow.pk).exists()


def test_list_offers_delete_only_where_allowed(client, author, other_author):
    services.create_workflow(author, name="theirs", visibility="shared")
    services.create_workflow(other_author, name="mine")
    client.force_login(other_author)
    page = client.get("/workflows/").content.decode()
    assert page.count(">Delete</a>") == 1


def test_viewer_cannot_save_draft_from_the_page(client, author, viewer):
    workflow = services.create_workflow(author, name="w", visibility="shared")
    client.force_login(viewer)
    response = client.post(f"/workflows/{workflow.pk}/", {"definition": "StartAt: X\n", "revision": 1})
    assert response.status_code == 403
    assert Draft.objects.get(pk=workflow.pk).revision == 1
