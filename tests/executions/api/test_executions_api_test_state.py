"""The editor's TestState (/api/test-state/): the TestState service for the signed-in author."""

import json

import pytest

pytestmark = pytest.mark.django_db

MACHINE = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Approve"}],
            "Default": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "ResultSelector": {"receipt.$": "$.Payload.id"},
            "End": True,
        },
        "Approve": {"Type": "Succeed"},
    },
}


def test_executions_api_test_state_choice_and_mocked_task(api):
    routed = api.post(
        "/api/test-state/",
        {"definition": json.dumps(MACHINE), "stateName": "Route", "input": '{"total": 250}'},
        format="json",
    )
    assert routed.status_code == 200, routed.content
    assert (routed.json()["status"], routed.json()["nextState"]) == ("SUCCEEDED", "Approve")
    assert json.loads(routed.json()["inspectionData"]["afterInputPath"]) == {"total": 250}  # DEBUG by default
    charged = api.post(
        "/api/test-state/",
        {
            "definition": json.dumps(MACHINE),
            "stateName": "Charge",
            "input": '{"total": 5}',
            "mock": {"result": '{"Payload": {"id": "r-1"}}'},
        },
        format="json",
    )
    assert charged.status_code == 200, charged.content
    data = charged.json()["inspectionData"]
    assert json.loads(data["afterParameters"]) == {"FunctionName": "charge", "Payload": {"total": 5}}
    assert json.loads(data["afterResultSelector"]) == {"receipt": "r-1"}
    assert json.loads(charged.json()["output"]) == {"receipt": "r-1"}


def test_executions_api_test_state_bad_request(api):
    answer = api.post(
        "/api/test-state/", {"definition": json.dumps(MACHINE), "stateName": "Nope"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "ValidationException",
        "message": "State not found in definition",
        "errors": [],
    }
    assert api.post("/api/test-state/", [1], format="json").status_code == 400


def test_executions_api_test_state_needs_an_author(api_for, viewer, client):
    body = {"definition": json.dumps(MACHINE), "stateName": "Route"}
    assert api_for(viewer).post("/api/test-state/", body, format="json").status_code == 403
    assert (
        client.post("/api/test-state/", body, content_type="application/json").status_code == 401
    )  # anonymous: who are you, not what may you do
