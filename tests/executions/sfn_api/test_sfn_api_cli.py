"""The AWS CLI against a live server, with the README's lines: a user-created key, then `test`;
TestState and StartSyncExecution with the README's one step for AWS's `sync-` host prefix."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

AWS = Path(sys.executable).with_name("aws")


def aws(live_sfn, key: str, secret: str, *args: str, **extra_env: str) -> tuple[int, dict | str]:
    env = {
        **os.environ,
        **extra_env,
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [str(AWS), "stepfunctions", *args, "--endpoint-url", live_sfn.endpoint, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode:
        return done.returncode, done.stderr
    return 0, json.loads(done.stdout or "{}")


def test_cli_runs_a_machine_with_a_user_key(live_sfn):
    key, secret = live_sfn.create_access_key("cli-user")
    name = f"hello-{uuid.uuid4().hex[:8]}"
    states = {"P": {"Type": "Pass", "Result": {"b": 2}, "End": True}}
    definition = json.dumps({"StartAt": "P", "States": states})
    code, created = aws(
        live_sfn, key, secret, "create-state-machine", "--name", name,
        "--role-arn", "arn:aws:iam::000000000000:role/any", "--definition", definition,
    )  # fmt: skip
    assert code == 0, created
    code, started = aws(
        live_sfn, key, secret, "start-execution",
        "--state-machine-arn", created["stateMachineArn"], "--input", '{"a": 1}',
    )  # fmt: skip
    assert code == 0, started
    deadline = time.time() + 30
    while True:
        arn = started["executionArn"]
        code, described = aws(live_sfn, key, secret, "describe-execution", "--execution-arn", arn)
        assert code == 0, described
        if described["status"] != "RUNNING" or time.time() > deadline:
            break
        time.sleep(0.2)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"b": 2}


def test_cli_reports_aws_errors(live_sfn):
    code, stderr = aws(
        live_sfn, "test", "test", "describe-execution",
        "--execution-arn", "arn:aws:states:us-east-1:000000000000:execution:nope:nope",
    )  # fmt: skip
    assert code != 0
    assert "ExecutionDoesNotExist" in stderr


def test_cli_refuses_a_wrong_secret(live_sfn):
    key, _ = live_sfn.create_access_key("cli-user-2")
    code, stderr = aws(live_sfn, key, "wrong-secret", "list-state-machines")
    assert code != 0
    assert "InvalidSignatureException" in stderr or "UnrecognizedClientException" in stderr


# botocore's switch for the `sync-` host prefix TestState and StartSyncExecution carry
# (configprovider.py: `disable_host_prefix_injection`, env AWS_DISABLE_HOST_PREFIX_INJECTION).
NO_HOST_PREFIX = {"AWS_DISABLE_HOST_PREFIX_INJECTION": "true"}


def test_cli_sync_operations_need_the_host_prefix_off(live_sfn):
    definition = '{"Type": "Pass", "End": true}'
    code, stderr = aws(live_sfn, "test", "test", "test-state", "--definition", definition)
    assert code != 0
    assert f"http://sync-127.0.0.1:{live_sfn.port}/aws/states/" in stderr


def test_cli_test_state(live_sfn):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "ResultSelector": {"doubled.$": "$.Payload.n"},
        "Next": "Report",
    }
    code, answer = aws(
        live_sfn, "test", "test", "test-state", "--definition", json.dumps(state), "--input", '{"n": 2}',
        "--inspection-level", "DEBUG", "--mock", json.dumps({"result": '{"Payload": {"n": 4}}'}),
        **NO_HOST_PREFIX,
    )  # fmt: skip
    assert code == 0, answer
    assert (answer["status"], answer["nextState"], json.loads(answer["output"])) == (
        "SUCCEEDED",
        "Report",
        {"doubled": 4},
    )
    assert json.loads(answer["inspectionData"]["afterParameters"]) == {
        "FunctionName": "f",
        "Payload": {"n": 2},
    }


def test_cli_start_sync_execution(live_sfn):
    name = f"sync-{uuid.uuid4().hex[:8]}"
    definition = json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
    )
    code, created = aws(
        live_sfn, "test", "test", "create-state-machine", "--name", name, "--type", "EXPRESS",
        "--role-arn", "arn:aws:iam::000000000000:role/any", "--definition", definition,
    )  # fmt: skip
    assert code == 0, created
    code, done = aws(
        live_sfn, "test", "test", "start-sync-execution",
        "--state-machine-arn", created["stateMachineArn"], "--input", "{}", **NO_HOST_PREFIX,
    )  # fmt: skip
    assert code == 0, done
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"ok": True})
