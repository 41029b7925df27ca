"""The live event stream over real WebSockets to a live server (Zulip's verify_action idea): a
client that joins mid-run, or reconnects with the last id it saw, receives exactly the stored
history, once each, in order; strangers are refused; list pages get status changes."""

import asyncio
import json
import time

import pytest
import websockets

from tests.executions.conftest import ROLE, client_for, make_server

# Six waits of a second at a 0.1 time scale: long enough to join in the middle of the run.
STEPS = {f"S{i}": {"Type": "Wait", "Seconds": 1, "Next": f"S{i + 1}"} for i in range(6)}
STEPS["S6"] = {"Type": "Pass", "End": True}
DEFINITION = json.dumps({"StartAt": "S0", "States": STEPS})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(tmp_path_factory.mktemp("symphony-live-ws"), SYMPHONY_TIME_SCALE="0.1")
    live.start()
    yield live
    live.stop()


def session_cookie(server, username: str) -> str:
    code = (
        "from django.contrib.auth import get_user_model; "
        "from django.contrib.sessions.backends.db import SessionStore; "
        f"u, _ = get_user_model().objects.get_or_create(username={username!r}); "
        "s = SessionStore(); s['_auth_user_id'] = str(u.pk); "
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'; "
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return "sessionid=" + server.manage("shell", "-c", code).strip().splitlines()[-1]


def start(server, username: str) -> tuple[str, int, object]:
    """An execution owned by ``username`` (started with their access key, in their account):
    (ARN, page id, their Step Functions client)."""
    sfn = client_for(server.endpoint, *server.create_access_key(username))
    sm = sfn.create_state_machine(name=f"live-{time.time_ns()}", definition=DEFINITION, roleArn=ROLE)
    arn = sfn.start_execution(stateMachineArn=sm["stateMachineArn"], input="{}")["executionArn"]
    code = f"from executions.models import Execution; print(Execution.objects.get(arn={arn!r}).pk)"
    return arn, int(server.manage("shell", "-c", code).strip().splitlines()[-1]), sfn


def stored_ids(sfn, arn: str) -> list[int]:
    """The stored history's event ids, read with a client of the execution's account."""
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [e["id"] for e in events]


def connect(server, path: str, cookie: str):
    return websockets.connect(
        f"ws://127.0.0.1:{server.port}{path}", additional_headers={"Cookie": cookie}, origin=server.url
    )


async def receive_until_done(socket, timeout: float = 30) -> list[dict]:
    messages = []
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        messages.append(message)
        if message["type"] == "status" and message["status"] != "RUNNING":
            return messages


def event_ids(messages: list[dict]) -> list[int]:
    """The ids of the events in ``messages``, in the order received (several to a message)."""
    return [event["id"] for m in messages if m["type"] == "events" for event in m["events"]]


def test_executions_live_join_mid_run_sees_every_event_once(server):
    cookie = session_cookie(server, "viewer")
    arn, pk, sfn = start(server, "viewer")
    while len(stored_ids(sfn, arn)) < 4:
        time.sleep(0.05)

    async def watch() -> list[dict]:
        async with connect(server, f"/ws/executions/{pk}/", cookie) as socket:
            return await receive_until_done(socket)

    messages = asyncio.run(watch())
    received = event_ids(messages)
    stored = stored_ids(sfn, arn)
    assert received == stored == list(range(1, len(stored) + 1))
    assert messages[-1]["status"] == "SUCCEEDED"


def test_executions_live_reconnect_after_last_seen(server):
    cookie = session_cookie(server, "again")
    arn, pk, sfn = start(server, "again")

    async def watch() -> tuple[list[int], list[int]]:
        seen: list[int] = []
        async with connect(server, f"/ws/executions/{pk}/", cookie) as socket:
            while len(seen) < 5:
                message = json.loads(await asyncio.wait_for(socket.recv(), 30))
                seen += event_ids([message])
        async with connect(server, f"/ws/executions/{pk}/?after={seen[-1]}", cookie) as socket:
            rest = event_ids(await receive_until_done(socket))
        return seen, rest

    seen, rest = asyncio.run(watch())
    assert seen + rest == stored_ids(sfn, arn)


def test_executions_live_refuses_strangers_and_anonymous(server):
    _, pk, _ = start(server, "owner")
    server.create_access_key("stranger")  # an author, of another account

    async def attempt(cookie: str) -> None:
        async with connect(server, f"/ws/executions/{pk}/", cookie) as socket:
            await socket.recv()

    for cookie in (session_cookie(server, "stranger"), "sessionid=nobody"):
        with pytest.raises(websockets.exceptions.WebSocketException):
            asyncio.run(attempt(cookie))


def test_executions_status_stream_reports_the_end(server):
    cookie = session_cookie(server, "lister")

    async def watch() -> list[str]:
        async with connect(server, "/ws/executions/", cookie) as socket:
            _, pk, _ = await asyncio.to_thread(start, server, "lister")
            statuses: list[str] = []
            while not statuses or statuses[-1] == "RUNNING":
                message = json.loads(await asyncio.wait_for(socket.recv(), 30))
                if message["id"] == pk:
                    statuses.append(message["status"])
            return statuses

    assert asyncio.run(watch())[-1] == "SUCCEEDED"


def test_executions_live_watchers_in_one_process_each_see_every_event_once(server):
    """The process subscribes once per execution and hands each ring to its watchers: three
    sockets, one leaving mid-run and one joining late, each see their part once, in order."""
    cookie = session_cookie(server, "several")
    arn, pk, sfn = start(server, "several")

    async def watch() -> tuple[list[int], list[int], list[int]]:
        path = f"/ws/executions/{pk}/"
        async with connect(server, path, cookie) as stays, connect(server, path, cookie) as leaves:
            left: list[int] = []
            while len(left) < 3:
                left += event_ids([json.loads(await asyncio.wait_for(leaves.recv(), 30))])
            await leaves.close()
            async with connect(server, path, cookie) as late:
                return (
                    event_ids(await receive_until_done(stays)),
                    left,
                    event_ids(await receive_until_done(late)),
                )

    stayed, left, late = asyncio.run(watch())
    stored = stored_ids(sfn, arn)
    assert stayed == late == stored
    assert left == stored[: len(left)]
