from django.conf import settings


def test_valid_definition_is_ok(api):
    text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'
    response = api.post("/api/validate", {"definition": text}, format="json")
    assert response.status_code == 200
    assert response.json() == {"result": "OK", "diagnostics": []}


def test_malformed_json_gives_a_located_diagnostic(api):
    response = api.post("/api/validate", {"definition": '{\n  "StartAt": "A",,\n}'}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["result"] == "FAIL"
    [diagnostic] = [d for d in body["diagnostics"] if d["code"] == "INVALID_JSON_DESCRIPTION"]
    assert diagnostic["severity"] == "error"
    assert (diagnostic["line"], diagnostic["column"]) == (2, 18)


def test_malformed_yaml_gives_a_located_diagnostic(api):
    body = api.post("/api/validate/", {"definition": "StartAt: A\nStates:\n  - [\n"}, format="json").json()
    assert body["result"] == "FAIL"
    assert body["diagnostics"][0]["code"] == "INVALID_JSON_DESCRIPTION"
    assert body["diagnostics"][0]["line"] == 4


def test_empty_definition_fails(api):
    body = api.post("/api/validate", {"definition": ""}, format="json").json()
    assert body["result"] == "FAIL"
    assert body["diagnostics"][0]["code"] == "MISSING_DESCRIPTION"


def test_oversized_definition_is_413(api):
    text = '{"Comment": "' + "x" * settings.MAX_DEFINITION_BYTES + '"}'
    response = api.post("/api/validate", {"definition": text}, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "DEFINITION_TOO_LARGE"


def test_missing_field_is_400(api):
    response = api.post("/api/validate", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "definition"


def test_validate_needs_authentication(db):
    from rest_framework.test import APIClient

    assert APIClient().post("/api/validate", {"definition": "{}"}, format="json").status_code == 401
