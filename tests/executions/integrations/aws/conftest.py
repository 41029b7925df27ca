"""A real moto server over HTTP on a free port, Symphony's AWS endpoint pointed at it through
the SDKs' standard `AWS_ENDPOINT_URL`, and a way to run a definition on the engine with the
AWS integrations a runner hands it."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Iterator
from functools import partial
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution, Outcome
from executions.integrations import LocalEffects, Resources, aws
from executions.integrations.aws import clients
from executions.integrations.aws.itemreader import S3Objects
from tests.executions.conftest import free_port, moto_server
from tests.executions.engine.support import info

ACCOUNT = "000000000000"


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def moto(moto_url, monkeypatch) -> str:
    """The moto server, emptied (each test starts with no tables, queues or buckets)."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return moto_url


@pytest.fixture
def checking_aws() -> Iterator[str]:
    """Another moto server, in its own process, that checks credentials as AWS does (moto's
    INITIAL_NO_AUTH_ACTION_COUNT=0)."""
    with moto_server(INITIAL_NO_AUTH_ACTION_COUNT="0") as url:
        yield url


@pytest.fixture
def boto(moto_url):
    """boto3 clients of the same moto server, to set up and inspect what the tasks did."""

    def client(service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=moto_url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    return client


@pytest.fixture
def local_aws(monkeypatch, settings, tmp_path):
    """The local AWS as on the embedded default (a moto server Symphony starts in var/),
    without the samples' seed."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "SYMPHONY_AWS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SYMPHONY_LOCAL_AWS_SEED", raising=False)
    settings.SYMPHONY_AWS_ENDPOINT = "local"
    settings.SYMPHONY_LOCAL_AWS_SEED = ""
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(clients, "_local", None)
    yield
    if clients._local is not None:
        clients._local.stop()


@pytest.fixture
def seeded_local_aws(local_aws, settings):
    """The local AWS with the samples' seed, as after `make run`."""
    settings.SYMPHONY_LOCAL_AWS_SEED = None


def run(definition: dict, value: Any = None, account: str = ACCOUNT) -> tuple[Outcome, list[dict]]:
    resources = Resources(
        aws=partial(aws.invoke, account=account),
        aws_services=aws.handles,
        objects=S3Objects(account, "us-east-1"),
    )
    effects = LocalEffects(resources=resources, clock=FakeClock())
    execution = Execution(build_state_machine(definition), json.dumps(value or {}), effects, info())
    outcome = asyncio.run(execution.run())
    return outcome, execution.history.events


def task(resource: str, parameters: dict, **fields: Any) -> dict:
    """A one-Task definition."""
    state = {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True, **fields}
    return {"StartAt": "Call", "States": {"Call": state}}
