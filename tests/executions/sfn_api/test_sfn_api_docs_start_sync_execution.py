"""AWS Step Functions API Reference, "StartSyncExecution": its documented response and errors,
through boto3 against a live server."""

import json

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_executions import code_of, machine


def express(sfn, definition: dict) -> str:
    return machine(sfn, definition, type="EXPRESS")


def test_a_succeeded_run_answers_with_its_output(sfn):
    # "Starts a Synchronous Express state machine execution." Response: executionArn, name,
    # stateMachineArn, startDate, stopDate, status, input/inputDetails, output/outputDetails,
    # billingDetails.
    sm = express(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}})
    run = sfn.start_sync_execution(stateMachineArn=sm, name="sync-1", input='{"a": 1}')
    assert run["status"] == "SUCCEEDED"
    assert json.loads(run["output"]) == {"ok": 1}
    assert json.loads(run["input"]) == {"a": 1}
    assert run["name"] == "sync-1"
    assert run["stateMachineArn"] == sm
    assert run["stopDate"] >= run["startDate"]
    assert run["inputDetails"] == {"included": True} and run["outputDetails"] == {"included": True}
    assert set(run["billingDetails"]) == {"billedMemoryUsedInMB", "billedDurationInMilliseconds"}
    assert "error" not in run and "cause" not in run


def test_a_failed_run_answers_with_error_and_cause(sfn):
    # Response: "error: The error code of the failure"; "cause: A more detailed explanation of the
    # cause of the failure"; status FAILED; "output ... This field is set only if the execution
    # succeeds" (recorded: express/test_base-BASE_RAISE_FAILURE).
    sm = express(
        sfn, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "why"}}}
    )
    run = sfn.start_sync_execution(stateMachineArn=sm)
    assert (run["status"], run["error"], run["cause"]) == ("FAILED", "SomeFailure", "why")
    assert "output" not in run


def test_standard_state_machines_are_not_supported(sfn):
    # Errors: "StateMachineTypeNotSupported: State machine type is not supported." -
    # StartSyncExecution is for Express workflows only.
    sm = machine(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with pytest.raises(ClientError) as caught:
        sfn.start_sync_execution(stateMachineArn=sm)
    assert code_of(caught) == "StateMachineTypeNotSupported"


def test_invalid_input_is_refused(sfn):
    # Errors: "InvalidExecutionInput: The provided JSON input data is not valid."
    sm = express(sfn, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with pytest.raises(ClientError) as caught:
        sfn.start_sync_execution(stateMachineArn=sm, input="[unclosed")
    assert code_of(caught) == "InvalidExecutionInput"


def test_a_run_past_its_timeout_is_timed_out(sfn):
    # Response status: "SUCCEEDED | FAILED | TIMED_OUT"; the state machine's TimeoutSeconds
    # ("State machine structure") ends the run as TIMED_OUT.
    sm = express(
        sfn,
        {"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": True}}},
    )
    run = sfn.start_sync_execution(stateMachineArn=sm)
    assert run["status"] == "TIMED_OUT"
