"""AWS Step Functions API Reference, "GetExecutionHistory": paging, order, execution data and
errors, through boto3 against a live server."""

import json

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_executions import code_of, machine, wait_done

# 60 Pass states: 122 events, more than one default page.
MANY = {
    "StartAt": "S0",
    "States": {
        f"S{i}": {"Type": "Pass", **({"Next": f"S{i + 1}"} if i < 59 else {"End": True})} for i in range(60)
    },
}


@pytest.fixture(scope="module")
def long_run(live_sfn):
    from tests.executions.conftest import client_for

    sfn = client_for(live_sfn.endpoint)
    arn = sfn.start_execution(stateMachineArn=machine(sfn, MANY), input='{"k": 1}')["executionArn"]
    assert wait_done(sfn, arn)["status"] == "SUCCEEDED"
    return arn


def test_default_page_size_is_100_with_a_next_token(sfn, long_run):
    # maxResults: "The maximum number of results that are returned per call ... The default is 100
    # and the maximum allowed page size is 1000." "nextToken: If nextToken is returned, there are
    # more results available."
    page = sfn.get_execution_history(executionArn=long_run)
    assert len(page["events"]) == 100
    rest = sfn.get_execution_history(executionArn=long_run, nextToken=page["nextToken"])
    assert "nextToken" not in rest
    ids = [e["id"] for e in page["events"] + rest["events"]]
    assert ids == list(range(1, 123))


def test_max_results_over_1000_is_refused(sfn, long_run):
    # maxResults: "Valid Range: Minimum value of 0. Maximum value of 1000."
    with pytest.raises(ClientError) as caught:
        sfn.get_execution_history(executionArn=long_run, maxResults=1001)
    assert code_of(caught) == "ValidationException"


def test_reverse_order_lists_the_newest_first(sfn, long_run):
    # reverseOrder: "Lists events in descending order of their timeStamp."
    events = sfn.get_execution_history(executionArn=long_run, reverseOrder=True, maxResults=3)["events"]
    assert [e["id"] for e in events] == [122, 121, 120]
    assert events[0]["type"] == "ExecutionSucceeded"


def test_include_execution_data_false_leaves_out_inputs_and_outputs(sfn, long_run):
    # includeExecutionData: "You can select whether execution data (input or output of a history
    # event) is returned. The default is true."
    full = sfn.get_execution_history(executionArn=long_run, maxResults=3)["events"]
    bare = sfn.get_execution_history(executionArn=long_run, maxResults=3, includeExecutionData=False)[
        "events"
    ]
    assert json.loads(full[0]["executionStartedEventDetails"]["input"]) == {"k": 1}
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert "output" not in bare[2]["stateExitedEventDetails"]


def test_events_have_ids_previous_ids_timestamps_and_types(sfn, long_run):
    # HistoryEvent: "id: The id of the event", "previousEventId: The id of the previous event",
    # "timestamp: The date and time the event occurred", "type: The type of the event".
    events = sfn.get_execution_history(executionArn=long_run, maxResults=4)["events"]
    assert [(e["id"], e["previousEventId"], e["type"]) for e in events] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "PassStateEntered"),
        (3, 2, "PassStateExited"),
        (4, 3, "PassStateEntered"),
    ]
    assert all(e["timestamp"] >= events[0]["timestamp"] for e in events)


def test_a_bad_token_is_invalid_token(sfn, long_run):
    # Errors: "InvalidToken: The provided token is not valid."
    with pytest.raises(ClientError) as caught:
        sfn.get_execution_history(executionArn=long_run, nextToken="not-a-token")
    assert code_of(caught) == "InvalidToken"


def test_max_results_zero_uses_the_default(sfn, long_run):
    # maxResults: "...The default is 100 and the maximum allowed page size is 1000. A value of 0
    # uses the default."
    page = sfn.get_execution_history(executionArn=long_run, maxResults=0)
    assert len(page["events"]) == 100 and page["nextToken"]
