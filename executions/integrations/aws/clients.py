"""One boto3 client per account, service and region, and where its calls go.

The endpoint of a service, first found wins:
1. `AWS_ENDPOINT_URL_<SERVICE>` then `AWS_ENDPOINT_URL` in the server's environment, the AWS
   SDKs' standard variables (`<SERVICE>` is the service id in capitals, spaces as `_`:
   `DYNAMODB`, `SQS`, `SECRETS_MANAGER`);
0. a run pointed at a deploy target (`Remote`, set for the call in `ROUTE`): that target's
   endpoint (AWS's own, or the emulator it names) with its credentials;
2. the `SYMPHONY_AWS_ENDPOINT` setting: `local` (the default) for the local AWS Symphony
   starts itself (`local.py`), `aws` for AWS's own endpoints with the server's credentials,
   or the URL of an emulator (LocalStack, a shared moto).

On the local AWS each Symphony account is a moto account of the same id (moto's
`x-moto-account-id` header), so accounts do not see each other's tables or queues; where moto
would still serve another account's resource (S3 buckets, ARNs of topics, buses, secrets),
`ownership.py` refuses it as AWS does. Any other
emulator sees whatever account its credentials name.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from django.conf import settings

from executions.integrations.aws import ownership
from executions.integrations.aws.local import LocalAws

LOCAL, REAL = "local", "aws"
CONFIG = Config(
    retries={"max_attempts": 2, "mode": "standard"},
    connect_timeout=5,
    read_timeout=60,
    # As the AWS SDK for Java 2.x Step Functions uses: checksums sent on uploads, not asked for on
    # downloads (so GetObject answers carry no ChecksumCRC32).
    response_checksum_validation="when_required",
)


@dataclass(frozen=True)
class Endpoint:
    """Where a service's calls go: `url` (None: AWS's own endpoint), whether it is the
    local AWS (whose moto accounts follow Symphony's), or the deploy target it is."""

    url: str | None
    local: bool = False
    target: str = ""

    @property
    def label(self) -> str:
        if self.target:
            return f"target {self.target}"
        return "local AWS" if self.local else self.url or "AWS"

    def describe(self, region: str) -> str:
        """What the run view shows: the local AWS and its URL, an emulator's URL, or AWS."""
        if self.local:
            return f"local AWS ({self.url})"
        where = self.url or f"AWS ({region})"
        return f"target {self.target}: {where}" if self.target else where


class Unreachable(Exception):
    """A deploy target whose credentials cannot be had (gone, a missing profile, a refused
    AssumeRole), in words that name no secret."""


class Remote:
    """A deploy target's AWS for one run: its name, endpoint URL (None: AWS's own) and a
    boto3 session made on first use by `session()` (which may raise Unreachable). Its clients
    live with it, so credentials are never shared with another run or put in a log."""

    def __init__(self, name: str, endpoint_url: str | None, session: Callable[[], Any]) -> None:
        self.name = name
        self.endpoint_url = endpoint_url
        self._session_factory = session
        self._session: Any = None
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Remote({self.name!r}, {self.endpoint_url!r})"

    @property
    def endpoint(self) -> Endpoint:
        return Endpoint(self.endpoint_url, target=self.name)

    def client(self, service: str, region: str) -> Any:
        with self._lock:
            client = self._clients.get((service, region))
            if client is None:
                if self._session is None:
                    self._session = self._session_factory()
                client = self._session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=CONFIG
                )
                self._clients[(service, region)] = client
            return client


# The deploy target of the run making the current call (None: the configured endpoint).
ROUTE: ContextVar[Remote | None] = ContextVar("aws_route", default=None)


_local: LocalAws | None = None
_clients: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def local_aws() -> LocalAws:
    global _local
    with _lock:
        if _local is None:
            _local = LocalAws(settings.VAR_DIR)
        return _local


_botocore = botocore.session.get_session()


@functools.cache
def service_model(service: str) -> Any:
    """botocore's model of a service (`UnknownServiceError` if it knows none by that name)."""
    return _botocore.get_service_model(service)


def endpoint_for(service: str) -> Endpoint:
    remote = ROUTE.get()
    if remote is not None:
        service_model(service)  # UnknownServiceError as for any endpoint
        return remote.endpoint
    env_name = "AWS_ENDPOINT_URL_" + service_model(service).service_id.upper().replace(" ", "_")
    url = os.environ.get(env_name) or os.environ.get("AWS_ENDPOINT_URL")
    if url:
        return Endpoint(url)
    configured = os.environ.get("SYMPHONY_AWS_ENDPOINT") or getattr(settings, "SYMPHONY_AWS_ENDPOINT", LOCAL)
    if configured == REAL:
        return Endpoint(None)
    if configured == LOCAL:
        return Endpoint(local_aws().url, local=True)
    return Endpoint(configured)


def seed_calls() -> list[dict[str, Any]]:
    """The local AWS's seed (`SYMPHONY_LOCAL_AWS_SEED`, default the samples' file; "" none)."""
    path = os.environ.get("SYMPHONY_LOCAL_AWS_SEED", getattr(settings, "SYMPHONY_LOCAL_AWS_SEED", None))
    if path is None:
        path = Path(settings.BASE_DIR) / "designer" / "samples" / "local-aws.json"
    return json.loads(Path(path).read_text()) if path else []


def client_for(service: str, account: str, region: str) -> tuple[Any, Endpoint]:
    """The client for the account's calls to a service, and where they go."""
    remote = ROUTE.get()
    if remote is not None:
        return remote.client(service, region), remote.endpoint
    endpoint = endpoint_for(service)
    if endpoint.local and account not in local_aws().seeded:
        local_aws().seed(account, seed_calls(), lambda name: client_for(name, account, region)[0])
    key = (service, account if endpoint.local else "", region, endpoint)
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = _make(service, account, region, endpoint)
            _clients[key] = client
    return client, endpoint


def _make(service: str, account: str, region: str, endpoint: Endpoint, guarded: bool = True) -> Any:
    credentials: dict[str, str] = {}
    if endpoint.url is not None and not os.environ.get("AWS_ACCESS_KEY_ID"):
        # Emulators accept any key; AWS's own endpoints take the server's credential chain.
        credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.session.Session().client(
        service, region_name=region, endpoint_url=endpoint.url, config=CONFIG, **credentials
    )
    if endpoint.local:

        def as_account(request: Any, **_: Any) -> None:
            request.headers["x-moto-account-id"] = account

        client.meta.events.register("before-sign", as_account)
        if guarded:
            # moto serves any account's buckets and topics to every account; AWS refuses them
            # without a policy granting it. The guard's own lookups go unguarded.
            ownership.guard(client, account, lambda: _make(service, account, region, endpoint, guarded=False))
    return client
