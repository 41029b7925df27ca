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
    assert body["diagnostics"][0]["code"] == "SCHEMA_VALIDATION_FAILED"


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


def test_asl_errors_come_from_the_language_core_with_state_pointer_and_line(api):
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "Nowhere"}\n  }\n}'
    body = api.post("/api/validate", {"definition": text}, format="json").json()
    assert body["result"] == "FAIL"
    [finding] = [d for d in body["diagnostics"] if d["code"] == "MISSING_TRANSITION_TARGET"]
    assert finding["state"] == "A"
    assert finding["pointer"] == "/States/A/Next"
    assert finding["line"] == 4


def test_express_rules_apply_when_asked(api):
    text = (
        '{"StartAt": "T", "States": {"T": {"Type": "Task", '
        '"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", '
        '"Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}, "End": true}}}'
    )
    standard = api.post("/api/validate", {"definition": text}, format="json").json()
    assert standard["result"] == "OK", standard
    express = api.post("/api/validate", {"definition": text, "type": "EXPRESS"}, format="json").json()
    assert express["result"] == "FAIL"
    assert express["diagnostics"][0]["pointer"] == "/States/T/Resource"
    bad_type = api.post("/api/validate", {"definition": text, "type": "FAST"}, format="json")
    assert bad_type.status_code == 400
    assert bad_type.json()["errors"][0]["field"] == "type"
