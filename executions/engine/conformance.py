"""The conformance harness's in-process entry point (`--engine executions.engine.conformance:run`).

`run(definition_str, input_str, **kwargs)` parses the definition with `designer.asl`, runs
it on a fake clock (a recorded Wait of 10 s takes no time) and returns the execution's
events and outcome in GetExecutionHistory/DescribeExecution shapes. The Lambda functions a
case `needs` are real Python handlers compiled from `handler_source` (the same source the
endpoint's conformance test registers as local functions), named `/var/task/handler.py` so
that their stack traces read as AWS recorded them.
"""

from __future__ import annotations

import asyncio
import builtins
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from designer.asl.errors import ASLSyntaxError
from designer.asl.model import StateMachine, build_state_machine
from designer.asl.validate import validate
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution, ExecutionInfo, InvalidExecutionInput
from executions.integrations import LocalEffects, Resources
from executions.integrations.lambda_ import RawPayload, register_source

HANDLER_FILE = "/var/task/handler.py"
_TRACE_LINE = re.compile(r'File "[^"]*", line (\d+), in (\w+)\n    (.*)\n', re.S)


class DefinitionRejected(Exception):
    """CreateStateMachine would refuse this definition."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def handler_source(need: dict[str, Any]) -> str:
    """The handler module (Lambda's handler setting `handler.handler`) with the behaviour a
    case describes, as Python source; a `raise` puts its statement on the line AWS recorded.
    Python cannot return raw bytes, so `return_raw` returns the JSON they hold, or else the
    text as a string (as large, so over the payload limit all the same)."""
    behaviour = need.get("behaviour")
    body, preamble = [], []
    if behaviour == "echo":
        body = ["return event"]
    elif behaviour == "return":
        body = [f"return {need.get('value')!r}"]
    elif behaviour == "return_raw":
        if "raw_repeat" in need:
            body = [f"return {need['raw_repeat']['text']!r} * {need['raw_repeat']['count']}"]
        else:
            body = ["import json", f"return json.loads({need.get('raw', '')!r})"]
    elif behaviour == "raise":
        error_type = need.get("errorType") or "Exception"
        message = need.get("errorMessage") or ""
        statement = f"raise {error_type}({json.dumps(message)})" if message else f"raise {error_type}()"
        if not isinstance(getattr(builtins, error_type, None), type):
            preamble = [f"class {error_type}(Exception):", "    pass"]
        line = len(preamble) + 2
        trace = ((need.get("recorded_error") or {}).get("cause") or {}).get("stackTrace") or []
        m = _TRACE_LINE.search(trace[0]) if trace else None
        if m:
            line, statement = int(m.group(1)), m.group(3).strip()
        preamble += [""] * (line - 2 - len(preamble))
        body = [statement]
    else:
        raise ValueError(f"unknown Lambda behaviour {behaviour!r}")
    return "\n".join([*preamble, "def handler(event, context):", *(f"    {s}" for s in body)]) + "\n"


def lambda_handler(need: dict[str, Any]) -> Callable[[Any, Any], Any]:
    """A local handler with the behaviour a conformance case describes (raw bytes as such)."""
    if need.get("behaviour") == "return_raw":
        if "raw_repeat" in need:
            text = need["raw_repeat"]["text"] * need["raw_repeat"]["count"]
        else:
            text = need.get("raw", "")
        return lambda event, context: RawPayload(text)
    source = handler_source(need)
    register_source(HANDLER_FILE, source)
    namespace: dict[str, Any] = {}
    exec(compile(source, HANDLER_FILE, "exec"), namespace)
    handler: Callable[[Any, Any], Any] = namespace["handler"]
    return handler


def build_machine(definition_str: str, machine_type: str = "STANDARD") -> StateMachine:
    try:
        definition = json.loads(definition_str)
    except ValueError as exc:
        raise DefinitionRejected("InvalidDefinition", f"Invalid State Machine Definition: '{exc}'") from None
    errors = [d for d in validate(definition, type=machine_type) if d.is_error]
    if errors:
        raise DefinitionRejected(
            "InvalidDefinition",
            "Invalid State Machine Definition: '"
            + ", ".join(f"{d.code}: {d.message} at {d.location}" for d in errors)
            + "'",
        )
    try:
        return build_state_machine(definition)
    except (ASLSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise DefinitionRejected("InvalidDefinition", f"Invalid State Machine Definition: '{exc}'") from None


def run(
    definition_str: str,
    input_str: str | None,
    *,
    case: dict[str, Any] | None = None,
    state_machine_name: str = "statemachine",
    execution_name: str | None = None,
    role_arn: str = "arn:aws:iam::000000000000:role/conformance",
    region: str = "us-east-1",
    account: str = "000000000000",
    state_machine_type: str = "STANDARD",
    **_: Any,
) -> dict[str, Any]:
    machine = build_machine(definition_str, state_machine_type)
    resources = Resources()
    for need in (case or {}).get("needs") or []:
        resources.register(need["lambda"], lambda_handler(need))
    name = execution_name or str(uuid.uuid4())
    sm_arn = f"arn:aws:states:{region}:{account}:stateMachine:{state_machine_name}"
    kind = "express" if state_machine_type == "EXPRESS" else "execution"
    exec_arn = f"arn:aws:states:{region}:{account}:{kind}:{state_machine_name}:{name}"
    info = ExecutionInfo(exec_arn, sm_arn, name, state_machine_name, role_arn, region, account)
    effects = LocalEffects(resources=resources, clock=FakeClock())
    execution = Execution(machine, input_str if input_str is not None else "{}", effects, info)
    try:
        outcome = asyncio.run(execution.run())
    except InvalidExecutionInput as exc:
        raise DefinitionRejected("InvalidExecutionInput", str(exc)) from None
    return {
        "events": execution.history.events,
        "status": outcome.status,
        "output": outcome.output_text,
        "error": outcome.error,
        "cause": outcome.cause,
        "executionArn": exec_arn,
        "stateMachineArn": sm_arn,
        "name": name,
    }
