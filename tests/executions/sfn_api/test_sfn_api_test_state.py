"""TestState through boto3: one state, its output, where it goes next, its errors."""

import json

import pytest
from botocore.exceptions import ClientError

from tests.executions.conftest import ROLE


def run_state(sfn, state: dict, execution_input: dict) -> dict:
    answer = sfn.test_state(definition=json.dumps(state), roleArn=ROLE, input=json.dumps(execution_input))
    answer.pop("ResponseMetadata")
    return answer


def test_sfn_api_test_state_pass_and_next(sfn):
    answer = run_state(
        sfn,
        {"Type": "Pass", "Parameters": {"total.$": "States.MathAdd($.a, $.b)"}, "Next": "Report"},
        {"a": 2, "b": 3},
    )
    assert answer["status"] == "SUCCEEDED"
    assert json.loads(answer["output"]) == {"total": 5}
    assert answer["nextState"] == "Report"


def test_sfn_api_test_state_choice(sfn):
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
        "Default": "Small",
    }
    assert run_state(sfn, state, {"n": 11})["nextState"] == "Big"
    assert run_state(sfn, state, {"n": 1})["nextState"] == "Small"


def test_sfn_api_test_state_failures(sfn):
    failed = run_state(sfn, {"Type": "Fail", "Error": "Nope", "Cause": "because"}, {})
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Nope", "because")
    caught = run_state(
        sfn,
        {
            "Type": "Pass",
            "Parameters": {"x.$": "$.missing"},
            "End": True,
        },
        {},
    )
    assert caught["status"] == "FAILED"
    assert caught["error"] == "States.Runtime"


def test_sfn_api_test_state_bad_definition(sfn):
    with pytest.raises(ClientError) as caught:
        sfn.test_state(definition=json.dumps({"Type": "Pass", "Next": 5}), roleArn=ROLE)
    assert caught.value.response["Error"]["Code"] == "InvalidDefinition"
    with pytest.raises(ClientError) as caught:
        sfn.test_state(definition="{nope", roleArn=ROLE)
    assert caught.value.response["Error"]["Code"] == "InvalidDefinition"


def test_sfn_api_test_state_caught_error(sfn):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:000000000000:function:no-such-function",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}],
        "End": True,
    }
    answer = run_state(sfn, state, {})
    assert (answer["status"], answer["nextState"]) == ("CAUGHT_ERROR", "Handle")
    assert answer["error"] == "Lambda.ResourceNotFoundException"
