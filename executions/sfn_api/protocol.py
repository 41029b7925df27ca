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

from executions.sfn_api import auth, errors
from executions.sfn_api.operations import ASYNC_OPERATIONS, OPERATIONS, Call

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


@csrf_exempt
async def endpoint(request: HttpRequest) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        if request.method != "POST":
            raise errors.ProtocolError("UnknownOperationException", "Only POST is supported", 400)
        identity = await sync_to_async(auth.authenticate, thread_sensitive=False)(request)
        target = request.headers.get("X-Amz-Target", "")
        operation = target[len(TARGET_PREFIX) :] if target.startswith(TARGET_PREFIX) else ""
        if operation not in OPERATIONS and operation not in ASYNC_OPERATIONS:
            raise errors.unknown_operation(target)
        call = Call(params=_parse_body(request.body), region=identity.region, identity=identity)
        if operation in ASYNC_OPERATIONS:
            result = await ASYNC_OPERATIONS[operation](call)
        else:
            result = await sync_to_async(OPERATIONS[operation], thread_sensitive=False)(call)
    except Exception as exc:  # every failure leaves in AWS's error shape
        if not isinstance(exc, errors.ProtocolError | errors.StepFunctionsError):
            logger.exception("Step Functions endpoint failed (request %s)", request_id)
        return errors.response_for(exc, request_id)
    return JsonResponse(
        result, content_type=errors.CONTENT_TYPE, headers={"x-amzn-RequestId": request_id}, safe=True
    )
