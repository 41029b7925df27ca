"""The AWS JSON 1.0 protocol: one POST endpoint, the operation named by
``X-Amz-Target: AWSStepFunctions.<Operation>``, JSON in and out, timestamps as epoch seconds,
errors as ``{"__type", "message"}``.

The view is async so that a long poll (GetActivityTask) or a synchronous express run holds no
worker thread; each operation's database work runs in a thread of its own, which closes its
connection as a request's thread does (CONN_MAX_AGE; one broken by a database restart is
replaced): no request signal reaches those threads to do it (``symphony.db.threads``).
"""

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial

from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import Action, allowed
from executions.exceptions import InvalidArn, InvalidName, InvalidToken, ValidationException
from executions.sfn_api import auth, errors
from executions.sfn_api.operations import (
    ASYNC_OPERATIONS,
    OPERATIONS,
    PUBLISH_OPERATIONS,
    READ_OPERATIONS,
    Call,
    Staged,
)
from symphony.db.threads import in_thread
from symphony.storable import unstorable_at

logger = logging.getLogger(__name__)
TARGET_PREFIX = "AWSStepFunctions."


def _parse_body(body: bytes) -> dict:
    if not body.strip():
        return {}
    try:
        params = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.serialization(f"Malformed JSON request body: {exc}") from None
    except RecursionError:
        raise errors.serialization("Malformed JSON request body: nested too deeply") from None
    if not isinstance(params, dict):
        raise errors.serialization("The request body must be a JSON object")
    _check_storable(params)
    return params


def _check_storable(params: dict) -> None:
    """A NUL or an unpaired surrogate in any string is refused before an operation runs: no
    database stores either, so a lookup with one would be a 500 on PostgreSQL and a write a
    half-done one. Payloads (input, output, definition) are JSON text in a string, where such
    characters stay escaped, so nothing AWS accepts is refused here."""
    found = unstorable_at(params)
    if found is None:
        return
    path, problem = found
    member = path.split(".")[0]
    if member.endswith(("Arn", "arn")):
        raise InvalidArn(f"Invalid Arn: the value at '{member}' contains {problem}")
    if member == "taskToken":
        raise InvalidToken(f"Invalid Token: the task token contains {problem}")
    if member == "name":
        raise InvalidName(f"Invalid Name: the name contains {problem}")
    raise ValidationException(
        f"1 validation error detected: Value at '{path}' failed to satisfy constraint: "
        f"Member must not contain {problem}"
    )


def _handle(request: HttpRequest) -> tuple[auth.Identity, str, Call]:
    try:
        request.body  # noqa: B018  (read once here: Django refuses one over DATA_UPLOAD_MAX_MEMORY_SIZE)
    except RequestDataTooBig:
        raise errors.request_too_large() from None
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


def _handle_sync(request: HttpRequest) -> dict | Callable[[], Awaitable[dict]]:
    """Authenticate, parse and run a database operation in one worker thread (one hop). Of an
    async operation, what it does first in that thread, and the rest to await on the loop."""
    _, operation, call = _handle(request)
    if operation not in ASYNC_OPERATIONS:
        return OPERATIONS[operation](call)
    handler = ASYNC_OPERATIONS[operation]
    if isinstance(handler, Staged):
        return partial(handler.then, call, handler.first(call))
    return partial(handler, call)


async def answer(request: HttpRequest) -> tuple[int, bytes, str]:
    """The endpoint's answer to ``request``: its HTTP status, its JSON body, its request id."""
    request_id = str(uuid.uuid4())
    try:
        if request.method != "POST":
            raise errors.ProtocolError("UnknownOperationException", "Only POST is supported", 400)
        result = await in_thread(_handle_sync, request)
        if callable(result):
            result = await result()
    except Exception as exc:  # every failure leaves in AWS's error shape
        if not isinstance(exc, errors.ProtocolError | errors.StepFunctionsError):
            logger.exception("Step Functions endpoint failed (request %s)", request_id)
        status, body = errors.error_body(exc)
        return status, encode(body), request_id
    return 200, encode(result), request_id


def encode(body: dict) -> bytes:
    return json.dumps(body, cls=DjangoJSONEncoder).encode()


@csrf_exempt
async def endpoint(request: HttpRequest) -> HttpResponse:
    """The endpoint as a Django view (the URLconf's route; the ASGI router's sends its answer
    itself: executions.sfn_api.asgi)."""
    status, body, request_id = await answer(request)
    headers = {"x-amzn-RequestId": request_id}
    return HttpResponse(body, status=status, content_type=errors.CONTENT_TYPE, headers=headers)
