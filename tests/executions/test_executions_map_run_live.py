"""A map run's child execution streams like any execution: joined mid-run over a real
WebSocket, it delivers its stored history once each, in order, and its end."""

import asyncio
import json
import time

import pytest

from tests.executions.conftest import ROLE, client_for, make_server
from tests.executions.test_executions_live import (
    connect,
    event_ids,
    receive_until_done,
    session_cookie,
    stored_ids,
)

# Six waits of a second at a 0.1 time scale in the one child: long enough to join mid-run.
STEPS = {f"S{i}": {"Type": "Wait", "Seconds": 1, "Next": f"S{i + 1}"} for i in range(6)}
STEPS["S6"] = {"Type": "Pass", "End": True}
DEFINITION = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "S0", "States": STEPS},
            "End": True,
        }
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(tmp_path_factory.mktemp("symphony-map-run-live"), SYMPHONY_TIME_SCALE="0.1")
    live.start()
    yield live
    live.stop()


def test_a_child_execution_streams_live(server):
    cookie = session_cookie(server, "mapviewer")
    sfn = client_for(server.endpoint, *server.create_access_key("mapviewer"))
    machine = sfn.create_state_machine(
        name=f"mr-live-{time.time_ns()}", definition=json.dumps(DEFINITION), roleArn=ROLE
    )
    parent = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="[1]")["executionArn"]
    deadline = time.time() + 20
    while not (runs := sfn.list_map_runs(executionArn=parent)["mapRuns"]) or not (
        children := sfn.list_executions(mapRunArn=runs[0]["mapRunArn"])["executions"]
    ):
        assert time.time() < deadline, "no child execution started"
        time.sleep(0.05)
    child = children[0]["executionArn"]
    while len(stored_ids(sfn, child)) < 4:
        time.sleep(0.05)
    code = f"from executions.models import Execution; print(Execution.objects.get(arn={child!r}).pk)"
    pk = int(server.manage("shell", "-c", code).strip().splitlines()[-1])

    async def watch() -> list[dict]:
        async with connect(server, f"/ws/executions/{pk}/", cookie) as socket:
            return await receive_until_done(socket)

    messages = asyncio.run(watch())
    received = event_ids(messages)
    stored = stored_ids(sfn, child)
    assert received == stored == list(range(1, len(stored) + 1))
    assert messages[-1]["status"] == "SUCCEEDED"
