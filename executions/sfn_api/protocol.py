"""The AWS JSON 1.0 protocol: one POST endpoint, the operation named by
``X-Amz-Target: AWSStepFunctions.<Operation>``, JSON in and out, timestamps as epoch seconds,
errors as ``{"__type", "message"}``.

The view is async so that a long poll (GetActivityTask) or a synchronous express run holds no
worker thread; each operation's database work runs in a thread of its own.
"""

import json
import logging
import uuid

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import Action, allowed
from executions.sfn_api import auth, errors
from executions.sfn_api.operations import (
    ASYNC_OPERATIONS,
    OPERATIONS,
    PUBLISH_OPERATIONS,
    READ_OPERATIONS,
    Call,
)

logger = logging.getLogger(__name__)
TARGET_PREFIX = "AWSStepFunctions."


def _parse_body(body: bytes) -> dict:
    if not body.strip():
        return {}
    try:
        params = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.serialization(f"Malformed JSON request body: {exc}") from None
    if not isinstance(params, dict):
        raise errors.serialization("The request body must be a JSON object")
    return params


def _handle(request: HttpRequest) -> tuple[auth.Identity, str, Call]:
    identity = auth.authenticate(request)
    target = request.headers.get("X-Amz-Target", "")
    operation = target[len(TARGET_PREFIX) :] if target.startswith(TARGET_PREFIX) else ""
    if operation not in OPERATIONS and operation not in ASYNC_OPERATIONS:
        raise errors.unknown_operation(target)
    _authorize(identity, operation)
    call = Call(params=_parse_body(request.body), region=identity.region, identity=identity)
    return identity, operation, call


def _authorize(identity: auth.Identity, operation: str) -> None:
    """A key's operations are limited by its owner's roles: a viewer's key reads, an author's key
    runs. The DEBUG test key on an installation without an admin is the emulator's open door."""
    if identity.key is None and identity.user is None:
        return
    action = Action.READ if operation in READ_OPERATIONS else Action.RUN
    publishes = operation in PUBLISH_OPERATIONS and allowed(identity.user, Action.PUBLISH, identity.account)
    if not publishes and not allowed(identity.user, action, identity.account):
        raise errors.access_denied(identity.user.get_username(), identity.account, operation)


def _handle_sync(request: HttpRequest) -> dict | tuple[str, Call]:
    """Authenticate, parse and run a database operation in one worker thread (one hop);
    async operations come back to the event loop."""
    _, operation, call = _handle(request)
    if operation in ASYNC_OPERATIONS:
        return operation, call
    return OPERATIONS[operation](call)


@csrf_exempt
async def endpoint(request: HttpRequest) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        if request.method != "POST":
            raise errors.ProtocolError("UnknownOperationException", "Only POST is supported", 400)
        result = await sync_to_async(_handle_sync, thread_sensitive=False)(request)
        if isinstance(result, tuple):
            operation, call = result
            result = await ASYNC_OPERATIONS[operation](call)
    except Exception as exc:  # every failure leaves in AWS's error shape
        if not isinstance(exc, errors.ProtocolError | errors.StepFunctionsError):
            logger.exception("Step Functions endpoint failed (request %s)", request_id)
        return errors.response_for(exc, request_id)
    return JsonResponse(result, content_type=errors.CONTENT_TYPE, headers={"x-amzn-RequestId": request_id})
