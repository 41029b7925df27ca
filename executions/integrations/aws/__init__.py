"""Task integrations with AWS services, through boto3: the optimised integrations
(`optimized.py`), any `aws-sdk:<service>:<action>` (`sdk.py`) and the distributed Map's S3
items and results (`itemreader.py`), sent where `clients.py` says (the local AWS by default).

The engine reaches them through one callable, `invoke`, that the runner hands to its
`Resources`; the engine itself never imports boto3.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import UnknownServiceError

from executions.engine.history import PAYLOAD_LIMIT
from executions.engine.tasks import TaskError, TaskRequest
from executions.integrations.aws import optimized, sdk
from executions.integrations.aws.clients import ROUTE, Endpoint, Remote, endpoint_for

__all__ = ["handles", "invoke", "recorded"]

OnCall = Callable[[dict[str, Any]], None]
# Hears the entries of a PutEvents the local AWS (or an emulator) accepted and its answer's
# entries: (region, entries, answers). Symphony's local rules route them (EventBridge's part).
OnEvents = Callable[[str, list[dict[str, Any]], list[dict[str, Any]]], None]

logger = logging.getLogger(__name__)

# Errors of a `.waitForTaskToken` call whose queue or topic the local AWS does not have.
MISSING_DESTINATIONS = {"SQS.QueueDoesNotExistException", "SNS.NotFoundException"}


def handles(service: str) -> bool:
    return service.startswith("aws-sdk:") or service in optimized.ACTIONS


async def invoke(
    request: TaskRequest,
    account: str,
    on_call: OnCall | None = None,
    on_events: OnEvents | None = None,
    via: Remote | None = None,
) -> Any:
    """Make the task's call in the account (through the deploy target `via`, if the run is
    pointed at one); its answer, or TaskError(error, cause). `on_call` and `on_events` (run in
    a worker thread) hear where the call went and how it ended, and the events a PutEvents put."""
    route = ROUTE.set(via)
    try:
        return await _routed(request, account, on_call, on_events)
    finally:
        ROUTE.reset(route)


async def _routed(
    request: TaskRequest, account: str, on_call: OnCall | None, on_events: OnEvents | None
) -> Any:
    if on_call is None:
        return await _invoke(request, account, on_events)
    return await recorded(
        on_call,
        request.state_name,
        request.target.resource,
        _service(request.target.service),
        request.region,
        _invoke(request, account, on_events),
    )


def _service(service: str) -> str:
    """boto3's name of a Task's service."""
    name = service.removeprefix("aws-sdk:")
    return sdk.BOTO3_NAMES.get(name, name)


async def recorded(
    on_call: OnCall, state_name: str, resource: str, service: str, region: str, call: Awaitable[Any]
) -> Any:
    started = datetime.now(UTC)
    clock = time.monotonic()
    error = ""
    try:
        return await call
    except TaskError as failure:
        error = failure.error
        raise
    finally:
        try:
            where = endpoint_for(service).describe(region)
        except UnknownServiceError:  # a service boto3 does not know: the call went nowhere
            where = ""
        entry = {
            "state_name": state_name[:80],
            "resource": resource[:256],
            "endpoint": where[:256],
            "started_at": started,
            "duration_ms": int((time.monotonic() - clock) * 1000),
            "error": error[:256],
        }
        await asyncio.to_thread(on_call, entry)


def _puts_events(target: Any) -> bool:
    return (target.service, target.action) in {("events", "putEvents"), ("aws-sdk:eventbridge", "putEvents")}


async def _delivered(
    request: TaskRequest, answer: Any, endpoint: Endpoint, on_events: OnEvents | None
) -> None:
    """Hand accepted events to the local rules; AWS's own EventBridge routes the events it
    gets itself."""
    if on_events is None or endpoint.url is None or endpoint.target or not _puts_events(request.target):
        return
    params = request.input if isinstance(request.input, dict) else {}
    entries = [optimized.with_detail_text(e) for e in params.get("Entries") or [] if isinstance(e, dict)]
    await asyncio.to_thread(on_events, request.region, entries, answer.get("Entries", []))


async def _invoke(request: TaskRequest, account: str, on_events: OnEvents | None = None) -> Any:
    target = request.target
    size = len(json.dumps(request.input, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if size > PAYLOAD_LIMIT:
        raise TaskError(
            "States.DataLimitExceeded",
            f"The parameters of the state/task '{request.state_name}' are {size} bytes, past the service "
            f"limit of {PAYLOAD_LIMIT} bytes; nothing was sent.",
        )
    if target.service.startswith("aws-sdk:"):
        service = target.service.removeprefix("aws-sdk:")
        if target.pattern not in ("", "waitForTaskToken"):
            # developer guide: AWS SDK integrations support Request Response and .waitForTaskToken
            raise TaskError(
                "States.Runtime",
                f"The aws-sdk integration does not support the .{target.pattern} pattern "
                f"({target.resource}).",
            )
        answer, endpoint = await sdk.call(service, target.action, request.input, account, request.region)
        await _delivered(request, answer, endpoint, on_events)
        return answer
    try:
        answer, endpoint = await optimized.call(
            target.service, target.action, request.input, account, request.region
        )
    except TaskError as error:
        # On the local AWS a callback task still waits for its token when its queue or topic
        # was never created there: a reviewer answers it in Symphony.
        waits = target.pattern == "waitForTaskToken" and error.error in MISSING_DESTINATIONS
        if waits and endpoint_for(target.service).local:
            logger.info("%s: %s; waiting for the token", target.resource, error.cause)
            return None
        raise
    await _delivered(request, answer, endpoint, on_events)
    return answer
