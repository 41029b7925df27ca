"""Map runs through boto3 against a live server: a distributed Map's DescribeMapRun counts,
ListMapRuns, its child executions (ListExecutions by mapRunArn, DescribeExecution, history),
UpdateMapRun reaching the running map, a stopped parent, a restart, and bad ARNs."""

import json
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.executions.conftest import client_for, make_server
from tests.executions.sfn_api.test_sfn_api_executions import code_of, history, machine, wait_done

MAP_RUN_ARN = "arn:aws:states:us-east-1:000000000000:mapRun:nobody/label:0d7e1a9c-3c2e-4b55-9d1e-0f4f1b7f1a11"


def distributed(processor_states: dict, start: str, **map_fields) -> dict:
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": start,
                    "States": processor_states,
                },
                "End": True,
                **map_fields,
            }
        },
    }


# An item {"fail": true} fails its child execution; {"wait": n} waits n seconds first.
ITEM = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Fail"}],
        "Default": "Wait",
    },
    "Wait": {"Type": "Wait", "SecondsPath": "$.wait", "End": True},
    "Fail": {"Type": "Fail", "Error": "Item.Bad", "Cause": "a bad item"},
}


def item(wait: int = 0, fail: bool = False) -> dict:
    return {"wait": wait, "fail": fail}


def only_map_run(sfn, execution_arn: str) -> str:
    runs = sfn.list_map_runs(executionArn=execution_arn)["mapRuns"]
    assert len(runs) == 1
    return runs[0]["mapRunArn"]


def wait_for(check, timeout: float = 20):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.05)


def counts(**values) -> dict:
    keys = ("pending", "running", "succeeded", "failed", "timedOut", "aborted", "total", "resultsWritten")
    return {**dict.fromkeys(keys, 0), "failuresNotRedrivable": 0, "pendingRedrive": 0, **values}


def test_describe_map_run_counts_and_child_executions(sfn):
    definition = distributed(ITEM, "Check", Label="Items", MaxConcurrency=2, ToleratedFailureCount=1)
    arn = machine(sfn, definition)
    started = sfn.start_execution(
        stateMachineArn=arn, input=json.dumps([item(), item(fail=True), item(), item()])
    )
    assert wait_done(sfn, started["executionArn"])["status"] == "SUCCEEDED"

    run_arn = only_map_run(sfn, started["executionArn"])
    recorded = [e for e in history(sfn, started["executionArn"]) if e["type"] == "MapRunStarted"]
    assert recorded[0]["mapRunStartedEventDetails"]["mapRunArn"] == run_arn
    machine_name = arn.split(":")[-1]
    assert run_arn.startswith(f"arn:aws:states:us-east-1:000000000000:mapRun:{machine_name}/Items:")
    listed = sfn.list_map_runs(executionArn=started["executionArn"])["mapRuns"][0]
    assert listed["stateMachineArn"] == f"{arn}/Items"
    assert listed["executionArn"] == started["executionArn"]
    assert listed["stopDate"] >= listed["startDate"]

    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "SUCCEEDED"
    assert described["executionArn"] == started["executionArn"]
    assert (described["maxConcurrency"], described["toleratedFailureCount"]) == (2, 1)
    assert described["toleratedFailurePercentage"] == 0.0
    expected = counts(succeeded=3, failed=1, total=4, resultsWritten=3)
    assert described["itemCounts"] == expected
    assert described["executionCounts"] == expected

    children = sfn.list_executions(mapRunArn=run_arn)["executions"]
    assert sorted(c["status"] for c in children) == ["FAILED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]
    assert all(c["mapRunArn"] == run_arn and c["itemCount"] == 1 for c in children)
    assert all(c["stateMachineArn"] == f"{arn}/Items" for c in children)
    assert all(":execution:" + machine_name + "/Items:" in c["executionArn"] for c in children)
    failed = next(c for c in children if c["status"] == "FAILED")
    child = sfn.describe_execution(executionArn=failed["executionArn"])
    assert (child["error"], child["cause"], child["mapRunArn"]) == ("Item.Bad", "a bad item", run_arn)
    assert json.loads(child["input"]) == item(fail=True)
    events = [e["type"] for e in history(sfn, failed["executionArn"])]
    assert events == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "FailStateEntered",
        "ExecutionFailed",
    ]
    for_child = sfn.describe_state_machine_for_execution(executionArn=failed["executionArn"])
    assert (for_child["mapRunArn"], for_child["label"]) == (run_arn, "Items")
    assert json.loads(for_child["definition"])["StartAt"] == "Check"
    # The parent machine's executions are its own runs only.
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]] == [
        started["executionArn"]
    ]
    page = sfn.list_executions(mapRunArn=run_arn, maxResults=3)
    rest = sfn.list_executions(mapRunArn=run_arn, nextToken=page["nextToken"])
    assert len(page["executions"]) == 3 and len(rest["executions"]) == 1


def test_batched_items_count_items_and_executions_apart(sfn):
    definition = distributed({"P": {"Type": "Pass", "End": True}}, "P", ItemBatcher={"MaxItemsPerBatch": 2})
    started = sfn.start_execution(stateMachineArn=machine(sfn, definition), input=json.dumps(list(range(5))))
    assert wait_done(sfn, started["executionArn"])["status"] == "SUCCEEDED"
    described = sfn.describe_map_run(mapRunArn=only_map_run(sfn, started["executionArn"]))
    assert described["itemCounts"] == counts(succeeded=5, total=5, resultsWritten=5)
    assert described["executionCounts"] == counts(succeeded=3, total=3, resultsWritten=3)
    children = sfn.list_executions(mapRunArn=described["mapRunArn"])["executions"]
    assert sorted(c["itemCount"] for c in children) == [1, 2, 2]


def test_a_failure_past_the_threshold_fails_the_map_run(sfn):
    started = sfn.start_execution(
        stateMachineArn=machine(sfn, distributed(ITEM, "Check")), input=json.dumps([item(), item(fail=True)])
    )
    assert wait_done(sfn, started["executionArn"])["error"] == "States.ExceedToleratedFailureThreshold"
    described = sfn.describe_map_run(mapRunArn=only_map_run(sfn, started["executionArn"]))
    assert described["status"] == "FAILED"
    assert described["executionCounts"] == counts(succeeded=1, failed=1, total=2, resultsWritten=1)


def test_update_map_run_raises_max_concurrency_of_a_running_map(sfn):
    definition = distributed(ITEM, "Check", MaxConcurrency=1)
    started = sfn.start_execution(
        stateMachineArn=machine(sfn, definition), input=json.dumps([item(wait=3)] * 4)
    )
    run_arn = wait_for(
        lambda: (sfn.list_map_runs(executionArn=started["executionArn"])["mapRuns"] or [{}])[0].get(
            "mapRunArn"
        )
    )
    assert wait_for(lambda: sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["running"] == 1)
    assert sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["pending"] == 3

    sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=0)
    # With the new setting the waiting children start while the first one still waits.
    assert wait_for(lambda: sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["running"] == 4, 2.5)
    assert sfn.describe_map_run(mapRunArn=run_arn)["maxConcurrency"] == 0
    assert wait_done(sfn, started["executionArn"])["status"] == "SUCCEEDED"


def test_update_map_run_tolerated_failures_apply_to_the_running_map(sfn):
    definition = distributed(ITEM, "Check", MaxConcurrency=1)
    started = sfn.start_execution(
        stateMachineArn=machine(sfn, definition), input=json.dumps([item(wait=2), item(fail=True), item()])
    )
    run_arn = wait_for(
        lambda: (sfn.list_map_runs(executionArn=started["executionArn"])["mapRuns"] or [{}])[0].get(
            "mapRunArn"
        )
    )
    sfn.update_map_run(mapRunArn=run_arn, toleratedFailureCount=1, toleratedFailurePercentage=50.0)
    assert wait_done(sfn, started["executionArn"])["status"] == "SUCCEEDED"
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert (described["toleratedFailureCount"], described["toleratedFailurePercentage"]) == (1, 50.0)
    assert described["itemCounts"] == counts(succeeded=2, failed=1, total=3, resultsWritten=2)


def test_stopping_the_parent_aborts_its_map_run(sfn):
    definition = distributed(ITEM, "Check", MaxConcurrency=1)
    started = sfn.start_execution(
        stateMachineArn=machine(sfn, definition), input=json.dumps([item(wait=60)] * 3)
    )
    run_arn = wait_for(
        lambda: (sfn.list_map_runs(executionArn=started["executionArn"])["mapRuns"] or [{}])[0].get(
            "mapRunArn"
        )
    )
    assert wait_for(lambda: sfn.list_executions(mapRunArn=run_arn)["executions"])
    child = sfn.list_executions(mapRunArn=run_arn)["executions"][0]["executionArn"]
    with pytest.raises(ClientError) as caught:
        sfn.stop_execution(executionArn=child)
    assert code_of(caught) == "ValidationException"

    sfn.stop_execution(executionArn=started["executionArn"])
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "ABORTED" and "stopDate" in described
    assert described["executionCounts"] == counts(aborted=3, total=3)
    assert sfn.describe_execution(executionArn=child)["status"] == "ABORTED"
    with pytest.raises(ClientError) as caught:
        sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=2)
    assert code_of(caught) == "ValidationException"


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("describe_map_run", {"mapRunArn": "not-an-arn"}, "InvalidArn"),
        ("describe_map_run", {"mapRunArn": MAP_RUN_ARN.replace(":mapRun:", ":execution:")}, "InvalidArn"),
        ("describe_map_run", {"mapRunArn": MAP_RUN_ARN}, "ResourceNotFound"),
        ("update_map_run", {"mapRunArn": MAP_RUN_ARN, "maxConcurrency": 3}, "ResourceNotFound"),
        (
            "update_map_run",
            {"mapRunArn": "arn:aws:states:us-east-1:0:mapRun:x", "maxConcurrency": 3},
            "InvalidArn",
        ),
        ("update_map_run", {"mapRunArn": MAP_RUN_ARN}, "ValidationException"),
        ("update_map_run", {"mapRunArn": MAP_RUN_ARN, "maxConcurrency": -1}, "ValidationException"),
        (
            "update_map_run",
            {"mapRunArn": MAP_RUN_ARN, "toleratedFailurePercentage": 150.0},
            "ValidationException",
        ),
        ("update_map_run", {"mapRunArn": MAP_RUN_ARN, "toleratedFailureCount": "3"}, "ValidationException"),
        (
            "list_map_runs",
            {"executionArn": "arn:aws:states:us-east-1:000000000000:execution:m:none"},
            "ExecutionDoesNotExist",
        ),
        ("list_map_runs", {"executionArn": MAP_RUN_ARN}, "InvalidArn"),
        ("list_executions", {"mapRunArn": "garbage"}, "InvalidArn"),
        ("list_executions", {"mapRunArn": MAP_RUN_ARN}, "ResourceNotFound"),
        (
            "list_executions",
            {
                "mapRunArn": MAP_RUN_ARN,
                "stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:m",
            },
            "ValidationException",
        ),
    ],
)
def test_bad_map_run_requests_get_aws_errors(live_sfn, operation, params, code):
    # Without botocore's own checks, so that the server's answer is what is tested.
    raw = boto3.session.Session().client(
        "stepfunctions",
        endpoint_url=live_sfn.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, parameter_validation=False),
    )
    with pytest.raises(ClientError) as caught:
        getattr(raw, operation)(**params)
    assert code_of(caught) == code
    assert caught.value.response["Error"]["Message"]


@pytest.fixture(scope="module")
def restartable(tmp_path_factory):
    server = make_server(tmp_path_factory.mktemp("symphony-map-runs"))
    server.start()
    yield server
    server.stop()


def test_a_map_run_survives_a_restart(restartable):
    sfn = client_for(restartable.endpoint)
    definition = distributed(ITEM, "Check", MaxConcurrency=1)
    started = sfn.start_execution(
        stateMachineArn=machine(sfn, definition), input=json.dumps([item(wait=1)] * 4)
    )
    run_arn = wait_for(
        lambda: (sfn.list_map_runs(executionArn=started["executionArn"])["mapRuns"] or [{}])[0].get(
            "mapRunArn"
        )
    )
    sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=2)
    assert wait_for(lambda: sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]["succeeded"] >= 1)
    restartable.kill()
    restartable.start()

    assert wait_done(sfn, started["executionArn"], timeout=60)["status"] == "SUCCEEDED"
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "SUCCEEDED"
    assert described["maxConcurrency"] == 2  # the update made before the restart holds
    assert described["executionCounts"] == counts(succeeded=4, total=4, resultsWritten=4)
    children = sfn.list_executions(mapRunArn=run_arn)["executions"]
    assert [c["status"] for c in children] == ["SUCCEEDED"] * 4
    for child in children:
        events = [e["type"] for e in history(sfn, child["executionArn"])]
        assert events == [
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "ExecutionSucceeded",
        ]
