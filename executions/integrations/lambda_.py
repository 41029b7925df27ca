"""Lambda: a function ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`)
or `arn:aws:states:::lambda:invoke` with FunctionName, answered by local Python functions
`handler(event, context)` registered by name. An exception becomes the error named by its
class, with Lambda's `{"errorMessage", "errorType", "requestId", "stackTrace"}` cause; a result
that is not JSON becomes Lambda.Unknown... as AWS reports it. `lambda:invoke` answers with
AWS's response envelope (`ExecutedVersion`, `Payload`, `SdkHttpMetadata`, ...);
`lambda:invoke.waitForTaskToken` runs the function, then waits for its token's answer.
"""

from __future__ import annotations

import asyncio
import json
import linecache
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from executions.engine.effects import Effects
from executions.engine.history import PAYLOAD_LIMIT
from executions.engine.tasks import TaskError, TaskRequest, TaskTimeout
from executions.integrations.adapter import no_local_implementation

DEFAULT_FUNCTION_TIMEOUT = 60.0


@dataclass
class LambdaContext:
    """The `context` a local handler receives (the attributes Lambda's Python runtime has)."""

    function_name: str
    aws_request_id: str
    invoked_function_arn: str
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    log_group_name: str = ""
    log_stream_name: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return int(DEFAULT_FUNCTION_TIMEOUT * 1000)


def function_name_of(reference: str) -> str:
    """The function name in a name, a partial ARN or a full ARN (qualifier dropped)."""
    if reference.startswith("arn:"):
        parts = reference.split(":")
        return parts[6] if len(parts) > 6 else reference
    if ":function:" in reference or reference.count(":") >= 2:
        parts = reference.split(":")
        if "function" in parts:
            return parts[parts.index("function") + 1]
    return reference.split(":")[0]


class HandlerError(Exception):
    """An error a handler raised in another process: its runtime reported the type name, the
    message and the formatted stack trace, which this process's traceback cannot show."""

    def __init__(self, error_type: str, message: str, stack_trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.stack_trace = stack_trace or []


def _lambda_error_cause(exc: BaseException, request_id: str, compact: bool) -> tuple[str, str]:
    """Lambda's error type and cause for an exception raised by a handler: the stack trace
    holds the handler's own frames, as the Lambda Python runtime reports them."""
    if isinstance(exc, HandlerError):
        error_type, stack = exc.error_type, exc.stack_trace
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        error_type = type(exc).__name__
        stack = traceback.format_list([f for f in frames if f.filename != __file__])
    body = {
        "errorMessage": str(exc),
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": stack,
    }
    separators = (",", ":") if compact else (", ", ": ")
    return error_type, json.dumps(body, separators=separators, ensure_ascii=False)


def register_source(filename: str, source: str) -> None:
    """Make a handler's source visible to tracebacks (for functions compiled from text)."""
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)


def _envelope(payload_text: str) -> dict[str, Any]:
    """AWS's lambda:invoke response around a function's JSON payload."""
    length = str(len(payload_text.encode("utf-8")))
    request_id = str(uuid.uuid4())
    date = "Thu, 01 Jan 2024 00:00:00 GMT"
    trace = (
        f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=0;Lineage=1:{uuid.uuid4().hex[:8]}:0"
    )
    return {
        "ExecutedVersion": "$LATEST",
        "Payload": json.loads(payload_text),
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length],
                "Date": [date],
                "X-Amzn-Trace-Id": [trace],
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length,
                "Content-Type": "application/json",
                "Date": date,
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "X-Amzn-Trace-Id": trace,
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200,
    }


class RawPayload:
    """A handler's answer given as raw bytes (what a non-Python runtime could return)."""

    def __init__(self, text: str) -> None:
        self.text = text


class LocalFunctions:
    """The Lambda adapter: local functions by name, each call bounded by `timeout` seconds
    (the Task's TimeoutSeconds when it has one)."""

    def __init__(self, functions: dict[str, Callable[[Any, Any], Any]], timeout: float) -> None:
        self.functions = functions
        self.timeout = timeout

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        target = request.target
        if target.kind == "lambda":
            name = function_name_of(target.resource)
            with effects.clock.working():
                text = await self._call(name, request.input, request, compact=False, label=target.resource)
            return json.loads(text)
        if target.action != "invoke":
            raise no_local_implementation(target)
        if target.pattern == "waitForTaskToken":
            # The function may answer its token before it returns: the token must exist.
            await effects.hold_token(request.task_token or "", request.state_name)
            with effects.clock.working():
                await self._lambda_invoke(request, envelope=True)
            return await effects.wait_for_token(request)
        with effects.clock.working():
            return await self._lambda_invoke(request, envelope=True)

    async def _lambda_invoke(self, request: TaskRequest, envelope: bool) -> Any:
        params = request.input if isinstance(request.input, dict) else {}
        reference = params.get("FunctionName")
        if not isinstance(reference, str):
            raise TaskError("States.Runtime", "The lambda:invoke parameters need a FunctionName string.")
        name = function_name_of(reference)
        payload = params.get("Payload")
        # Step Functions hands a string Payload to Lambda as the raw request body, and no
        # Payload (or null) as an empty one, which the runtime reads as {}.
        if payload is None:
            payload = {}
        elif isinstance(payload, str):
            try:
                payload = json.loads(payload)
            except ValueError:
                raise TaskError(
                    "Lambda.InvalidRequestContentException",
                    "Could not parse request body into json (Service: AWSLambda; Status Code: 400; "
                    f"Error Code: InvalidRequestContentException; Request ID: {uuid.uuid4()}; Proxy: null)",
                ) from None
        text = await self._call(name, payload, request, compact=True, label="lambda")
        return _envelope(text) if envelope else json.loads(text)

    async def _call(self, name: str, event: Any, request: TaskRequest, compact: bool, label: str) -> str:
        """Run handler `name` in a thread; returns its JSON payload text."""
        handler = self.functions.get(name)
        arn = f"arn:aws:lambda:{request.region}:{request.account}:function:{name}"
        request_id = request.request_id or str(uuid.uuid4())
        if handler is None:
            raise TaskError(
                "Lambda.ResourceNotFoundException",
                f"Function not found: {arn}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: "
                f"ResourceNotFoundException; Request ID: {request_id}; Proxy: null)",
            )
        context = LambdaContext(name, request_id, arn)
        event_copy = json.loads(json.dumps(event))
        timeout = request.timeout_seconds or self.timeout

        def call() -> tuple[bool, Any]:
            try:
                return True, handler(event_copy, context)
            except Exception as exc:  # the function's error is the task's error
                return False, _lambda_error_cause(exc, request_id, compact)

        try:
            ok, value = await asyncio.wait_for(asyncio.to_thread(call), timeout)
        except TimeoutError:
            raise TaskTimeout() from None
        if not ok:
            raise TaskError(*value)
        text = value.text if isinstance(value, RawPayload) else None
        if text is not None and len(text.encode("utf-8")) > PAYLOAD_LIMIT:
            raise TaskError(
                "States.DataLimitExceeded",
                f"The state/task '{label}' returned a result with a size exceeding the maximum number "
                "of bytes service limit.",
            )
        if isinstance(value, RawPayload):
            try:
                json.loads(value.text)
            except ValueError:
                raise TaskError(
                    "Lambda.Unknown",
                    "The lambda function returned a payload that is not valid JSON.",
                ) from None
            return value.text
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            errtype = "Runtime.MarshalError"
            cause = json.dumps(
                {
                    "errorMessage": f"Unable to marshal response: {exc}",
                    "errorType": errtype,
                    "requestId": request_id,
                }
            )
            raise TaskError(errtype, cause) from None
        if len(text.encode("utf-8")) > PAYLOAD_LIMIT:
            raise TaskError(
                "States.DataLimitExceeded",
                f"The state/task '{label}' returned a result with a size exceeding the maximum number "
                "of bytes service limit.",
            )
        return text
