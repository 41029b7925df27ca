"""The conformance harness's in-process entry point (`--engine executions.engine.conformance:run`).

`run(definition_str, input_str, **kwargs)` parses the definition with `designer.asl`, runs
it on a fake clock (a recorded Wait of 10 s takes no time) and returns the execution's
events and outcome in GetExecutionHistory/DescribeExecution shapes. The Lambda functions a
case `needs` are provided as real local Python handlers: `raise` behaviours are compiled
from source named `/var/task/handler.py` so that their stack traces read as AWS recorded
them.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from typing import Any

from designer.asl.errors import ASLSyntaxError
from executions.engine.effects import FakeClock, LocalEffects
from executions.engine.interpreter import Execution, ExecutionInfo, InvalidExecutionInput
from executions.engine.resources import RawPayload, Resources, register_source

HANDLER_FILE = "/var/task/handler.py"
_TRACE_LINE = re.compile(r'File "[^"]*", line (\d+), in (\w+)\n    (.*)\n', re.S)


class DefinitionRejected(Exception):
    """CreateStateMachine would refuse this definition."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _raising_handler(need: dict):
    error_type = need.get("errorType") or "Exception"
    message = need.get("errorMessage") or ""
    line, statement = 2, f"raise {error_type}({json.dumps(message)})" if message else f"raise {error_type}()"
    trace = ((need.get("recorded_error") or {}).get("cause") or {}).get("stackTrace") or []
    if trace:
        m = _TRACE_LINE.search(trace[0])
        if m:
            line, statement = int(m.group(1)), m.group(3).strip()
    source = "def handler(event, context):\n" + "    pass\n" * (line - 2) + f"    {statement}\n"
    register_source(HANDLER_FILE, source)
    namespace: dict[str, Any] = {}
    if error_type not in ("Exception",):
        namespace[error_type] = type(error_type, (Exception,), {})
    exec(compile(source, HANDLER_FILE, "exec"), namespace)
    return namespace["handler"]


def lambda_handler(need: dict):
    """A local handler with the behaviour a conformance case describes."""
    behaviour = need.get("behaviour")
    if behaviour == "echo":
        return lambda event, context: event
    if behaviour == "return":
        value = need.get("value")
        return lambda event, context: value
    if behaviour == "return_raw":
        if "raw_repeat" in need:
            text = need["raw_repeat"]["text"] * need["raw_repeat"]["count"]
        else:
            text = need.get("raw", "")
        return lambda event, context: RawPayload(text)
    if behaviour == "raise":
        return _raising_handler(need)
    raise ValueError(f"unknown Lambda behaviour {behaviour!r}")


def build_machine(definition_str: str, machine_type: str = "STANDARD"):
    from designer.asl.model import build_state_machine
    from designer.asl.validate import validate

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
    case: dict | None = None,
    state_machine_name: str = "statemachine",
    execution_name: str | None = None,
    role_arn: str = "arn:aws:iam::000000000000:role/conformance",
    region: str = "us-east-1",
    account: str = "000000000000",
    state_machine_type: str = "STANDARD",
    **_: Any,
) -> dict:
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
