"""Time that keeps time: the ExecutionStarted event and `$$.Execution.StartTime` carry the
moment StartExecution accepted the execution (DescribeExecution's startDate), however late a
busy runner picks it up (API reference, DescribeExecution: startDate "The date the execution is
started"; developer guide, "Accessing execution data from the Context object": StartTime "when
the execution started")."""

import json
import uuid

from tests.executions.conftest import ROLE
from tests.executions.test_executions_durability import history, run_to_end

DEFINITION = {
    "StartAt": "P",
    "States": {"P": {"Type": "Pass", "Parameters": {"start.$": "$$.Execution.StartTime"}, "End": True}},
}


def test_sfn_api_execution_started_carries_the_start_date(sfn):
    sm = sfn.create_state_machine(
        name=f"start-{uuid.uuid4().hex[:8]}", definition=json.dumps(DEFINITION), roleArn=ROLE
    )["stateMachineArn"]
    for _ in range(5):
        arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
        described = run_to_end(sfn, arn)
        started = history(sfn, arn)[0]
        assert started["type"] == "ExecutionStarted"
        assert started["timestamp"] == described["startDate"]
        output = json.loads(described["output"])["start"]
        assert output == described["startDate"].isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_sfn_api_stop_date_is_the_end_event_time(sfn):
    """stopDate ("If the execution ended, the date the execution stopped") is the time of the
    history's last event, as on AWS, not the moment the end was written a little later."""
    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 0, "End": True}}}
    for definition in (DEFINITION, waits):
        sm = sfn.create_state_machine(
            name=f"stop-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE
        )["stateMachineArn"]
        arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
        described = run_to_end(sfn, arn)
        last = history(sfn, arn)[-1]
        assert last["type"] == "ExecutionSucceeded"
        assert last["timestamp"] == described["stopDate"]
