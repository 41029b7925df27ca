"""One resolver for Task resources.

* Lambda: a function ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`)
  or `arn:aws:states:::lambda:invoke` with FunctionName; answered by local Python functions
  `handler(event, context)` registered by name. An exception becomes the error named by its
  class, with Lambda's `{"errorMessage", "errorType", "requestId", "stackTrace"}` cause; a
  result that is not JSON becomes Lambda.Unknown... as AWS reports it. `lambda:invoke`
  answers with AWS's response envelope (`ExecutedVersion`, `Payload`, `SdkHttpMetadata`, ...).
* Mocked responses in AWS Step Functions Local's mock-config format answer any resource.
* `.waitForTaskToken` is answered through the effects (`wait_for_token`).
* AWS services (`aws-sdk:*`, DynamoDB, SQS, SNS, EventBridge) through the `aws` callable the
  runner hands in: the calls happen outside the engine.

What this module does not do: record events (states/task.py does), retry (retry.py).
"""

from __future__ import annotations

import asyncio
import json
import linecache
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from executions.engine.history import PAYLOAD_LIMIT

LAMBDA_ARN_PREFIX = "arn:aws:lambda:"
SERVICE_PREFIX = "arn:aws:states:::"
DEFAULT_FUNCTION_TIMEOUT = 60.0


class TaskError(Exception):
    """A task answered with an error (AWS's error name and cause)."""

    def __init__(self, error: str, cause: str | None) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class TaskTimeout(Exception):
    """The task ran past its TimeoutSeconds (or HeartbeatSeconds: `heartbeat`)."""

    def __init__(self, heartbeat: bool = False) -> None:
        super().__init__("heartbeat" if heartbeat else "timeout")
        self.heartbeat = heartbeat


@dataclass(frozen=True, slots=True)
class Target:
    """What a Resource names: `kind` "lambda" (a function ARN), "service" (an optimised or
    SDK integration) or "activity"; for services `service`, `action` and `pattern`
    ("" | "sync" | "sync:2" | "waitForTaskToken")."""

    kind: str
    resource: str
    service: str = ""
    action: str = ""
    pattern: str = ""


def parse_resource(resource: str) -> Target:
    if resource.startswith(LAMBDA_ARN_PREFIX):
        return Target("lambda", resource, "lambda", "invoke")
    if resource.startswith(SERVICE_PREFIX):
        rest = resource[len(SERVICE_PREFIX) :]
        service, _, action = rest.partition(":")
        if service == "aws-sdk":
            service, _, action = action.partition(":")
            service = "aws-sdk:" + service
        action, _, pattern = action.partition(".")
        return Target("service", resource, service, action, pattern)
    if ":activity:" in resource:
        return Target("activity", resource)
    return Target("service", resource, resource, "", "")


@dataclass
class TaskRequest:
    """One invocation: the resource, its input (Parameters/Arguments after evaluation) and
    what the state knows (names for mocks, the token, the limits)."""

    target: Target
    input: Any
    state_name: str = ""
    state_machine_name: str = ""
    execution_name: str = ""
    task_token: str | None = None
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    region: str = "us-east-1"
    account: str = "000000000000"
    attempt: int = 0
    request_id: str = ""


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


@dataclass
class MockConfig:
    """AWS Step Functions Local's mock config: `StateMachines.<name>.TestCases.<case>.<state>`
    names a response in `MockedResponses`, whose keys are attempt numbers or ranges ("0",
    "1-2") mapping to `{"Return": ...}` or `{"Throw": {"Error", "Cause"}}`."""

    document: dict
    test_case: str

    def response(self, request: TaskRequest) -> dict | None:
        machines = self.document.get("StateMachines", {})
        cases = machines.get(request.state_machine_name, {}).get("TestCases", {})
        name = cases.get(self.test_case, {}).get(request.state_name)
        if name is None:
            return None
        responses = self.document.get("MockedResponses", {}).get(name, {})
        for key, value in responses.items():
            low, _, high = str(key).partition("-")
            if int(low) <= request.attempt <= int(high or low):
                return value
        return None


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


def _envelope(payload_text: str) -> dict:
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


@dataclass
class Resources:
    """The resolver: local functions by name, an optional mock config."""

    functions: dict[str, Callable[[Any, Any], Any]] = field(default_factory=dict)
    mock: MockConfig | None = None
    function_timeout: float = DEFAULT_FUNCTION_TIMEOUT
    # S3 buckets of distributed Map ItemReader/ResultWriter are folders under this one.
    files_root: Path | None = None
    # Local state machines `states:startExecution` can start: ARN -> definition (text or dict).
    state_machines: dict[str, Any] = field(default_factory=dict)
    children: list[Any] = field(default_factory=list)
    # AWS service integrations (`aws-sdk:*`, dynamodb, sqs, sns, events): `aws(request)` makes
    # the call outside the engine; `aws_services(service)` says which services it answers.
    aws: Callable[[TaskRequest], Awaitable[Any]] | None = None
    aws_services: Callable[[str], bool] = lambda service: False
    # The distributed Map's S3 (ItemReader, ResultWriter): async get_text(bucket, key),
    # list_objects(params), put_text(bucket, key, text); None: folders under files_root.
    objects: Any = None

    def register(self, name: str, handler: Callable[[Any, Any], Any]) -> None:
        self.functions[name] = handler

    async def invoke(self, request: TaskRequest, effects: Any) -> Any:
        if self.mock is not None:
            answer = self.mock.response(request)
            if answer is not None:
                return _mocked(answer)
        target = request.target
        if target.kind == "activity":
            tokens = getattr(effects, "tokens", None)
            if tokens is None:
                raise TaskError("States.Runtime", "No activity workers can reach this execution.")
            return await tokens.wait(
                request.task_token, effects.clock, request.timeout_seconds, request.heartbeat_seconds
            )
        if target.pattern == "waitForTaskToken":
            waiter = getattr(effects, "wait_for_token", None)
            if waiter is None:
                raise TaskError("States.Runtime", "No token answers can reach this execution.")
            if target.service == "lambda" and target.action == "invoke":
                # The function may answer its token before it returns: the token must exist.
                hold = getattr(effects, "hold_token", None)
                if hold is not None:
                    await hold(request.task_token, request.state_name)
                with effects.clock.working():
                    await self._lambda_invoke(request, envelope=True)
            elif self.aws is not None and self.aws_services(target.service):
                hold = getattr(effects, "hold_token", None)
                if hold is not None:
                    await hold(request.task_token, request.state_name)
                with effects.clock.working():
                    await self.aws(request)
            return await waiter(request)
        if target.kind == "lambda":
            name = function_name_of(target.resource)
            with effects.clock.working():
                text = await self._call(name, request.input, request, compact=False, label=target.resource)
            return json.loads(text)
        if target.service == "lambda" and target.action == "invoke":
            with effects.clock.working():
                return await self._lambda_invoke(request, envelope=True)
        if target.service == "http" and target.action == "invoke":
            from executions.engine import http

            with effects.clock.working():
                return await http.invoke(request.input, request.timeout_seconds)
        if target.service == "states" and target.action == "startExecution":
            return await self._start_execution(request, effects)
        if self.aws is not None and self.aws_services(target.service):
            with effects.clock.working():
                return await self.aws(request)
        raise TaskError(
            "States.Runtime",
            f"The resource '{target.resource}' has no local implementation and no mocked response.",
        )

    async def _start_execution(self, request: TaskRequest, effects: Any) -> Any:
        """Start a local state machine; `.sync` waits and answers like DescribeExecution
        (`.sync:2` with JSON Input/Output instead of strings)."""
        from executions.engine.interpreter import Execution, ExecutionInfo, iso_time

        params = request.input if isinstance(request.input, dict) else {}
        arn = params.get("StateMachineArn")
        definition = self.state_machines.get(arn)
        if definition is None:
            raise TaskError(
                "StepFunctions.StateMachineDoesNotExistException", f"State Machine Does Not Exist: '{arn}'"
            )
        from designer.asl.model import build_state_machine

        machine = build_state_machine(json.loads(definition) if isinstance(definition, str) else definition)
        child_input = params.get("Input", {})
        input_text = child_input if isinstance(child_input, str) else json.dumps(child_input)
        name = params.get("Name") or str(uuid.uuid4())
        sm_name = arn.split(":")[-1]
        exec_arn = f"arn:aws:states:{request.region}:{request.account}:execution:{sm_name}:{name}"
        role = f"arn:aws:iam::{request.account}:role/{sm_name}"
        child = Execution(
            machine,
            input_text,
            effects,
            ExecutionInfo(exec_arn, arn, name, sm_name, role, request.region, request.account),
        )
        self.children.append(child)
        running = asyncio.ensure_future(child.run())
        if request.target.pattern not in ("sync", "sync:2"):
            return {"ExecutionArn": exec_arn, "StartDate": iso_time(child.start_time)}
        outcome = await running
        as_json = request.target.pattern == "sync:2"
        described: dict[str, Any] = {
            "ExecutionArn": exec_arn,
            "Input": json.loads(input_text) if as_json else input_text,
            "InputDetails": {"Included": True},
            "Name": name,
            "StartDate": iso_time(child.start_time),
            "StateMachineArn": arn,
            "Status": outcome.status,
            "StopDate": iso_time(child.history.events[-1]["timestamp"]),
        }
        if outcome.status == "SUCCEEDED":
            described["Output"] = outcome.output if as_json else outcome.output_text
            described["OutputDetails"] = {"Included": True}
            return described
        described["Error"], described["Cause"] = outcome.error, outcome.cause
        raise TaskError("States.TaskFailed", json.dumps(described, separators=(",", ":")))

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
        timeout = request.timeout_seconds or self.function_timeout

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


def _mocked(answer: dict) -> Any:
    if "Throw" in answer:
        throw = answer["Throw"] or {}
        raise TaskError(throw.get("Error", "States.TaskFailed"), throw.get("Cause"))
    return answer.get("Return")
