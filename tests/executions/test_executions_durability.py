"""The kill test: SIGKILL the app during a Wait, during a Map and during a task; after a
restart the execution completes, and its history equals an uninterrupted run's (timestamps
aside), with no event lost or doubled."""

import json
import time
import uuid

import pytest

from tests.executions.conftest import ROLE, client_for, make_server

SLOW_FUNCTION = """
import time

def handler(event, context):
    time.sleep(1.5)
    return {"seen": event}
"""

WAIT = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": {"n": 1}, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 2, "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}
MAP = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "Hold",
                "States": {"Hold": {"Type": "Wait", "Seconds": 1, "End": True}},
            },
            "End": True,
        }
    },
}
TASK = {
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:000000000000:function:slow",
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("symphony-kill")
    (var / "functions").mkdir()
    (var / "functions" / "slow.py").write_text(SLOW_FUNCTION)
    live = make_server(var)
    live.start()
    yield live
    live.stop()


def run_to_end(sfn, arn: str, timeout: float = 60) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.1)
    raise AssertionError("the execution did not finish")


def comparable(events: list[dict], execution_arn: str, name: str) -> list[str]:
    """Events without timestamps, with this execution's own names made neutral."""
    out = []
    for event in events:
        event = {k: v for k, v in event.items() if k != "timestamp"}
        out.append(json.dumps(event, sort_keys=True).replace(execution_arn, "<arn>").replace(name, "<name>"))
    return out


def history(sfn, arn: str) -> list[dict]:
    return sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


@pytest.mark.parametrize(
    ("definition", "execution_input", "kill_after"),
    [
        (WAIT, {}, "WaitStateEntered"),
        (MAP, {"items": [1, 2, 3, 4]}, "MapIterationSucceeded"),
        (TASK, {"x": 1}, "LambdaFunctionStarted"),
    ],
    ids=["wait", "map", "task"],
)
def test_executions_survive_sigkill(server, definition, execution_input, kill_after):
    sfn = client_for(server.endpoint)
    sm = sfn.create_state_machine(
        name=f"kill-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]
    reference = sfn.start_execution(stateMachineArn=sm, name="reference", input=json.dumps(execution_input))
    assert run_to_end(sfn, reference["executionArn"])["status"] == "SUCCEEDED"
    expected = comparable(history(sfn, reference["executionArn"]), reference["executionArn"], "reference")

    arn = sfn.start_execution(stateMachineArn=sm, name="victim", input=json.dumps(execution_input))[
        "executionArn"
    ]
    deadline = time.time() + 30
    while kill_after not in [e["type"] for e in history(sfn, arn)]:
        assert time.time() < deadline, "never reached the kill point"
        time.sleep(0.02)
    server.kill()
    server.start()
    sfn = client_for(server.endpoint)
    assert run_to_end(sfn, arn)["status"] == "SUCCEEDED"
    assert comparable(history(sfn, arn), arn, "victim") == expected


def test_executions_clean_stop_releases_leases(server):
    # Long enough to outlast two `manage.py shell` starts on a loaded machine.
    waiting = {**WAIT, "States": {**WAIT["States"], "W": {**WAIT["States"]["W"], "Seconds": 30}}}
    sfn = client_for(server.endpoint)
    sm = sfn.create_state_machine(
        name=f"term-{uuid.uuid4().hex[:8]}", definition=json.dumps(waiting), roleArn=ROLE
    )["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    while "WaitStateEntered" not in [e["type"] for e in history(sfn, arn)]:
        time.sleep(0.02)
    lease = (
        "from executions.models import Execution; "
        f"print(repr(Execution.objects.get(arn={arn!r}).lease_owner))"
    )
    assert server.manage("shell", "-c", lease).strip().splitlines()[-1] != "''"
    server.stop()  # SIGTERM: the app exits normally
    assert server.manage("shell", "-c", lease).strip().splitlines()[-1] == "''"
    server.start()
    assert run_to_end(client_for(server.endpoint), arn, timeout=90)["status"] == "SUCCEEDED"


def test_executions_resume_reuses_answers_logged_with_the_rows(server):
    """Task answers commit with the event rows (executions.answers), not in every checkpoint:
    after a SIGKILL, the tasks already answered are not invoked again and the history is the
    uninterrupted run's."""
    name = f"count_{uuid.uuid4().hex[:8]}"
    # Each call prints its event: the server keeps it (FunctionLog), the sandbox keeps the
    # function away from the server's files.
    (server.var_dir / "functions" / f"{name}.py").write_text(
        "import json\n\ndef handler(event, context):\n"
        "    print(json.dumps(event))\n    return {'item': event}\n"
    )
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "Call",
                    "States": {
                        "Call": {
                            "Type": "Task",
                            "Resource": f"arn:aws:lambda:us-east-1:000000000000:function:{name}",
                            "Next": "Hold",
                        },
                        "Hold": {"Type": "Wait", "Seconds": 3, "End": True},
                    },
                },
                "End": True,
            }
        },
    }
    sfn = client_for(server.endpoint)
    sm = sfn.create_state_machine(
        name=f"answers-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]
    reference = sfn.start_execution(stateMachineArn=sm, name="reference", input="[1, 2, 3]")
    assert run_to_end(sfn, reference["executionArn"])["status"] == "SUCCEEDED"
    expected = comparable(history(sfn, reference["executionArn"]), reference["executionArn"], "reference")
    assert server.function_calls(name) == [1, 2, 3]

    arn = sfn.start_execution(stateMachineArn=sm, name="victim", input="[1, 2, 3]")["executionArn"]
    deadline = time.time() + 30
    # Two answers committed, the second iteration waiting (3 s: time to see it on a busy machine).
    while [e["type"] for e in history(sfn, arn)].count("LambdaFunctionSucceeded") < 2:
        assert time.time() < deadline, "never reached the kill point"
        time.sleep(0.02)
    server.kill()
    server.start()
    sfn = client_for(server.endpoint)
    assert run_to_end(sfn, arn)["status"] == "SUCCEEDED"
    assert comparable(history(sfn, arn), arn, "victim") == expected
    assert server.function_calls(name) == [1, 2, 3, 1, 2, 3]  # the victim's tasks, each once
