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


# AWS's answers to bad TestState requests: the recorded ones (../shared/conformance/test_state)
# word for word; the input limit is the API reference's (API_TestState.html: input, maximum
# length 262144) in AWS's constraint-violation form.
BAD_REQUESTS = {
    "not a state": (
        {"definition": "[1, 2]"},
        "InvalidDefinition",
        "Invalid State Machine Definition: 'A state must be a JSON object'",
    ),
    "no Type": ({"definition": '{"Comment": "no Type", "End": true}'}, "InvalidDefinition", "[Type]"),
    "unknown stateName": (
        {
            "definition": json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
            "stateName": "dne",
        },
        "ValidationException",
        "State not found in definition",
    ),
    "mock for a Pass": (
        {"definition": '{"Type": "Pass", "End": true}', "mock": {"result": "{}"}},
        "ValidationException",
        "State type 'Pass' is not supported when a mock is specified",
    ),
    "mock for a Choice": (
        {
            "definition": json.dumps(
                {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "Y"}],
                    "Default": "X",
                }
            ),
            "mock": {"errorOutput": {"error": "E", "cause": "C"}},
        },
        "ValidationException",
        "State type 'Choice' is not supported when a mock is specified",
    ),
    "1 MiB input": (
        {"definition": '{"Type": "Pass", "End": true}', "input": json.dumps({"a": "x" * (1 << 20)})},
        "ValidationException",
        "1 validation error detected: Value at 'input' failed to satisfy constraint: "
        "Member must have length less than or equal to 262144",
    ),
    "a Parallel without a mock": (
        {
            "definition": json.dumps(
                {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
                    "End": True,
                }
            )
        },
        "InvalidDefinition",
        "TestState API does not support Map or Parallel states. Supported state types include: "
        "[Task, Wait, Pass, Succeed, Fail, Choice]",
    ),
    "a callback task without a mock": (
        {
            "definition": json.dumps(
                {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}
            )
        },
        "InvalidDefinition",
        "'.waitForTaskToken'",
    ),
    "a mock result that is not JSON": (
        {
            "definition": json.dumps(
                {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
            ),
            "mock": {"result": "not JSON"},
        },
        "ValidationException",
        "Mocked result must be valid JSON",
    ),
}


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=list(BAD_REQUESTS))
def test_sfn_api_test_state_bad_requests(sfn, case):
    request, code, message = BAD_REQUESTS[case]
    with pytest.raises(ClientError) as caught:
        sfn.test_state(roleArn=ROLE, **request)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == code
    assert message in response["Error"]["Message"]


def test_sfn_api_test_state_jsonpath_stages(sfn):
    """DEBUG shows each stage of a Task's JSONPath data flow, the mock standing in for the call."""
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.order",
        "Parameters": {"FunctionName": "price", "Payload": {"qty.$": "$.qty"}},
        "ResultSelector": {"total.$": "$.Payload.total"},
        "ResultPath": "$.priced",
        "OutputPath": "$.priced",
        "Next": "Ship",
    }
    answer = sfn.test_state(
        definition=json.dumps(state),
        input=json.dumps({"order": {"qty": 3}}),
        inspectionLevel="DEBUG",
        mock={"result": json.dumps({"Payload": {"total": 30}, "StatusCode": 200})},
    )
    data = {k: json.loads(v) if isinstance(v, str) else v for k, v in answer["inspectionData"].items()}
    assert data == {
        "input": {"order": {"qty": 3}},
        "afterInputPath": {"qty": 3},
        "afterParameters": {"FunctionName": "price", "Payload": {"qty": 3}},
        "result": {"Payload": {"total": 30}, "StatusCode": 200},
        "afterResultSelector": {"total": 30},
        "afterResultPath": {
            "order": {"qty": 3},
            "priced": {"total": 30},
        },  # ResultPath places into the raw input
    }
    assert (answer["status"], answer["nextState"], json.loads(answer["output"])) == (
        "SUCCEEDED",
        "Ship",
        {"total": 30},
    )
    info = sfn.test_state(definition=json.dumps(state), input='{"order": {"qty": 1}}', mock={"result": "{}"})
    assert "inspectionData" not in info  # INFO: the outcome only


def test_sfn_api_test_state_mock_field_validation(sfn):
    """A mocked result is checked against the API's response shape unless the mode says NONE."""
    state = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True})
    with pytest.raises(ClientError) as caught:
        sfn.test_state(definition=state, mock={"result": '{"StatusCode": "200"}'})
    assert caught.value.response["Error"]["Message"] == (
        "Mock result schema validation error: Field 'StatusCode' must be a number"
    )
    answer = sfn.test_state(
        definition=state, mock={"result": '{"StatusCode": "200"}', "fieldValidationMode": "NONE"}
    )
    assert json.loads(answer["output"]) == {"StatusCode": "200"}


def test_sfn_api_test_state_retry_and_catch(sfn):
    """One attempt: a Retrier with attempts left answers RETRIABLE with the next interval; once
    retrierRetryCount uses them up, the Catcher answers."""
    state = json.dumps(
        {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 2}],
            "Catch": [
                {"ErrorEquals": ["Other"], "Next": "A"},
                {"ErrorEquals": ["States.ALL"], "Next": "Handle"},
            ],
            "End": True,
        }
    )
    mock = {"errorOutput": {"error": "Boom", "cause": "it broke"}}
    retry = sfn.test_state(
        definition=state, inspectionLevel="DEBUG", mock=mock, stateConfiguration={"retrierRetryCount": 1}
    )
    assert (retry["status"], retry["error"], retry["cause"]) == ("RETRIABLE", "Boom", "it broke")
    assert retry["inspectionData"]["errorDetails"] == {"retryIndex": 0, "retryBackoffIntervalSeconds": 6}
    caught = sfn.test_state(
        definition=state, inspectionLevel="DEBUG", mock=mock, stateConfiguration={"retrierRetryCount": 2}
    )
    assert (caught["status"], caught["nextState"]) == ("CAUGHT_ERROR", "Handle")
    assert caught["inspectionData"]["errorDetails"] == {"retryIndex": 0, "catchIndex": 1}
    assert json.loads(caught["output"]) == {"Error": "Boom", "Cause": "it broke"}


def test_sfn_api_test_state_machine_state_variables_and_context(sfn):
    """One state of a whole machine, with variables and a context object given."""
    machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "Start",
        "States": {
            "Start": {"Type": "Pass", "Next": "Price"},
            "Price": {
                "Type": "Pass",
                "Assign": {"total": "{% $price * $states.input.qty %}"},
                "Output": {"who": "{% $states.context.Execution.Name %}"},
                "Next": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    answer = sfn.test_state(
        definition=json.dumps(machine),
        stateName="Price",
        input='{"qty": 4}',
        variables='{"price": 5}',
        context='{"Execution": {"Name": "order-7"}}',
        inspectionLevel="TRACE",
    )
    assert (answer["status"], answer["nextState"], json.loads(answer["output"])) == (
        "SUCCEEDED",
        "Done",
        {"who": "order-7"},
    )
    assert json.loads(answer["inspectionData"]["variables"]) == {"price": 5, "total": 20}


def test_sfn_api_test_state_http_trace(sfn, live_sfn):
    """TRACE shows the HTTP Task's request and response (here: Symphony's own endpoint, which
    refuses an unsigned call)."""
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"ApiEndpoint": live_sfn.endpoint, "Method": "POST", "RequestBody": {"a": 1}},
        "End": True,
    }
    answer = sfn.test_state(definition=json.dumps(state), inspectionLevel="TRACE")
    assert (answer["status"], answer["error"]) == ("FAILED", "States.Http.StatusCode.403")
    sent, received = answer["inspectionData"]["request"], answer["inspectionData"]["response"]
    assert (sent["method"], sent["url"], json.loads(sent["body"])) == ("POST", live_sfn.endpoint, {"a": 1})
    assert (received["statusCode"], received["statusMessage"]) == ("403", "Forbidden")
    assert json.loads(received["body"])["__type"] == "MissingAuthenticationTokenException"
    debug = sfn.test_state(definition=json.dumps(state), inspectionLevel="DEBUG")
    assert "request" not in debug["inspectionData"]
