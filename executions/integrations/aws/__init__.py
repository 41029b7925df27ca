"""Task integrations with AWS services, through boto3: the optimised integrations
(`optimized.py`), any `aws-sdk:<service>:<action>` (`sdk.py`) and the distributed Map's S3
items and results (`itemreader.py`), sent where `clients.py` says (the local AWS by default).

The engine reaches them through one callable, `invoke`, that the runner hands to its
`Resources`; the engine itself never imports boto3.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from executions.engine.history import PAYLOAD_LIMIT
from executions.engine.resources import TaskError, TaskRequest
from executions.integrations.aws import optimized, sdk
from executions.integrations.aws.clients import endpoint_for

__all__ = ["handles", "invoke"]

logger = logging.getLogger(__name__)

# Errors of a `.waitForTaskToken` call whose queue or topic the local AWS does not have.
MISSING_DESTINATIONS = {"SQS.QueueDoesNotExistException", "SNS.NotFoundException"}


def handles(service: str) -> bool:
    return service.startswith("aws-sdk:") or service in optimized.ACTIONS


async def invoke(request: TaskRequest, account: str) -> Any:
    """Make the task's call in the account; its answer, or TaskError(error, cause)."""
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
        answer, _ = await sdk.call(service, target.action, request.input, account, request.region)
        return answer
    try:
        answer, _ = await optimized.call(
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
    return answer
