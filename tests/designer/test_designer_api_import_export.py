import json

import pytest
import yaml as pyyaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from designer import services
from designer.models import Draft, Workflow

IMPORT = "/api/workflows/import/"
YAML_TEXT = (
    "# order flow\nStartAt: A\nStates:\n  A:\n"
    "    Type: Wait\n    Timestamp: 2024-01-01T00:00:00Z\n    End: true\n"
)


def export(api, workflow_id: int, query: str = ""):
    return api.get(f"/api/workflows/{workflow_id}/export/{query}")


def test_import_file_keeps_bytes_and_takes_name_from_file(api):
    upload = SimpleUploadedFile("order-flow.asl.yaml", YAML_TEXT.encode(), content_type="application/yaml")
    response = api.post(IMPORT, {"file": upload, "type": "STANDARD"}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "order-flow"
    assert body["format"] == "yaml"
    assert Draft.objects.get(pk=body["id"]).definition == YAML_TEXT


def test_import_text_with_name(api):
    text = '{ "StartAt": "A",\n  "States": {"A": {"Type": "Succeed"}} }'
    response = api.post(IMPORT, {"definition": text, "name": "pasted", "visibility": "shared"}, format="json")
    assert response.status_code == 201
    assert response.json()["visibility"] == "shared"
    assert export(api, response.json()["id"]).content.decode() == text


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, None), ({"definition": "{}", "name": ""}, "name"), ({"definition": "{}", "name": "a b"}, "name")],
)
def test_import_bad_requests_are_400(api, payload, field):
    response = api.post(IMPORT, payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Workflow.objects.exists()


def test_import_malformed_yaml_file_is_400_with_location(api):
    upload = SimpleUploadedFile("bad.yaml", b"StartAt: A\nStates:\n  A: {Type: Pass\n")
    response = api.post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_JSON_DESCRIPTION"
    assert body["format"] == "yaml"
    assert body["errors"][0]["line"] == 4
    assert not Workflow.objects.exists()


def test_import_file_over_1_mib_is_413(api):
    upload = SimpleUploadedFile("big.json", b"{" + b" " * settings.MAX_DEFINITION_BYTES + b"}")
    response = api.post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert not Workflow.objects.exists()


def test_import_non_utf8_file_is_400(api):
    upload = SimpleUploadedFile("latin.json", '{"Comment": "café"}'.encode("latin-1"))
    response = api.post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "DEFINITION_NOT_UTF8"
    assert response.json()["errors"][0]["field"] == "file"


def test_export_without_format_is_the_exact_text(api, author):
    workflow = services.create_workflow(author, name="w", definition=YAML_TEXT)
    response = export(api, workflow.pk)
    assert response.status_code == 200
    assert response.content.decode() == YAML_TEXT
    assert response["Content-Type"].startswith("application/yaml")
    assert response["Content-Disposition"] == 'attachment; filename="w.asl.yaml"'
    assert export(api, workflow.pk, "?format=yaml").content.decode() == YAML_TEXT


def test_export_converts_yaml_to_json_and_back(api, author):
    workflow = services.create_workflow(author, name="w", definition=YAML_TEXT)
    as_json = export(api, workflow.pk, "?format=json")
    assert as_json["Content-Type"].startswith("application/json")
    data = json.loads(as_json.content)
    assert data == {
        "StartAt": "A",
        "States": {"A": {"Type": "Wait", "Timestamp": "2024-01-01T00:00:00Z", "End": True}},
    }
    assert list(data) == ["StartAt", "States"]
    json_workflow = services.create_workflow(author, name="j", definition=as_json.content.decode())
    as_yaml = export(api, json_workflow.pk, "?format=yaml").content.decode()
    assert pyyaml.safe_load(as_yaml) == data


def test_export_a_version_and_bad_parameters(api, author):
    workflow = services.create_workflow(author, name="w")
    services.create_version(workflow, author)
    services.save_draft(workflow, author, expected_revision=1, definition="StartAt: Changed\n")
    response = export(api, workflow.pk, "?version=1")
    assert response.content.decode() == services.NEW_WORKFLOW_DEFINITION
    assert response["Content-Disposition"] == 'attachment; filename="w-v1.asl.json"'
    bad_format = export(api, workflow.pk, "?format=xml")
    assert bad_format.status_code == 400
    assert bad_format.json()["errors"][0]["field"] == "format"
    assert export(api, workflow.pk, "?version=abc").status_code == 400
    assert export(api, workflow.pk, "?version=7").status_code == 404


def test_export_of_another_users_private_workflow_is_404(api_for, author, other_author):
    workflow = services.create_workflow(author, name="w")
    assert export(api_for(other_author), workflow.pk).status_code == 404


def test_corpus_import_then_export_is_byte_identical(api, shared_dir):
    """DESIGN decision 1 on the shared corpus: import then export with no edit returns the identical text."""
    manifest = json.loads((shared_dir / "asl-corpus" / "manifest.json").read_text())
    entries = [e for e in manifest if e.get("byte_exact")][:60]
    assert len(entries) >= 20
    for index, entry in enumerate(entries):
        raw = (shared_dir / "asl-corpus" / entry["file"]).read_bytes()
        upload = SimpleUploadedFile(f"c{index}.asl.json", raw)
        created = api.post(IMPORT, {"file": upload}, format="multipart")
        assert created.status_code == 201, (entry["file"], created.json())
        assert export(api, created.json()["id"]).content == raw, entry["file"]
