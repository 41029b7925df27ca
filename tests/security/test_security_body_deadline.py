"""A request whose body does not arrive in time is answered 408 and its connection closed
(symphony/body_deadline.py), on the Step Functions endpoint and on pages alike; what waits
after its body is in (a long poll) is not cut."""

import json
import select
import socket
import threading
import time

import pytest

from tests.executions.conftest import ROLE, client_for, make_server

DEADLINE = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = make_server(tmp_path_factory.mktemp("deadline"), SYMPHONY_BODY_SECONDS=str(DEADLINE))
    server.start()
    yield server
    server.stop()


def answer_to(server, path: str, sent: list[bytes], pause: float = 0.0) -> tuple[bytes, float]:
    """What the server answers (until it closes the connection) to a POST of 100 announced bytes
    of which only ``sent`` come, ``pause`` seconds apart; and when it closed, from before the headers."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        began = time.monotonic()  # before the server has the headers, so before its deadline starts
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n".encode()
        )
        for chunk in sent:
            time.sleep(pause)
            if select.select([connection], [], [], 0)[0]:
                break  # answered: stop sending, as an HTTP client does
            connection.sendall(chunk)
        received = b""
        while chunk := connection.recv(65536):  # until the server closes it
            received += chunk
        return received, time.monotonic() - began


@pytest.mark.parametrize("path", ["/aws/states/", "/accounts/login/"])
def test_a_body_announced_and_never_sent_is_answered_408_and_closed(server, path):
    received, after = answer_to(server, path, [b'{"x": '])
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert b"did not arrive in time" in received
    assert DEADLINE <= after < DEADLINE + 5


def test_a_trickled_body_meets_the_same_deadline(server):
    received, after = answer_to(server, "/aws/states/", [b"{"] * 20, pause=0.2)
    assert received.startswith(b"HTTP/1.1 408 "), received
    assert DEADLINE <= after < DEADLINE + 5  # answered while it still trickled


def test_a_long_poll_waits_past_the_deadline_once_its_body_is_in(server):
    client = client_for(server.endpoint)
    activity = client.create_activity(name="slow-worker")["activityArn"]
    task = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity, "End": True}}}
    machine = client.create_state_machine(name="waits", definition=json.dumps(task), roleArn=ROLE)[
        "stateMachineArn"
    ]
    polled = {}
    poller = threading.Thread(target=lambda: polled.update(client.get_activity_task(activityArn=activity)))
    poller.start()
    time.sleep(DEADLINE * 2.5)
    client.start_execution(stateMachineArn=machine, input='{"n": 1}')
    poller.join(30)
    assert json.loads(polled["input"]) == {"n": 1}
    assert client.list_state_machines()["stateMachines"]  # the server went on serving
