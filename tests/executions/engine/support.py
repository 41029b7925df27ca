"""Running a definition on the engine with a fake clock, for the engine's tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution, ExecutionInfo, Outcome
from executions.integrations import LocalEffects, Resources


def info(name: str = "run-1", machine: str = "machine") -> ExecutionInfo:
    return ExecutionInfo(
        f"arn:aws:states:us-east-1:000000000000:execution:{machine}:{name}",
        f"arn:aws:states:us-east-1:000000000000:stateMachine:{machine}",
        name,
        machine,
        "arn:aws:iam::000000000000:role/test",
    )


def execute(
    definition: dict,
    value: Any = None,
    *,
    functions: dict | None = None,
    clock: FakeClock | None = None,
    input_text: str | None = None,
) -> tuple[Outcome, list[dict], Execution]:
    resources = Resources()
    for name, handler in (functions or {}).items():
        resources.register(name, handler)
    effects = LocalEffects(resources=resources, clock=clock or FakeClock())
    text = input_text if input_text is not None else json.dumps({} if value is None else value)
    execution = Execution(build_state_machine(definition), text, effects, info())
    outcome = asyncio.run(execution.run())
    return outcome, execution.history.events, execution


def types(events: list[dict]) -> list[str]:
    return [e["type"] for e in events]


def chain(events: list[dict]) -> list[tuple[int, int, str]]:
    return [(e["id"], e["previousEventId"], e["type"]) for e in events]


def details(event: dict) -> dict:
    return next(v for k, v in event.items() if k.endswith("EventDetails"))
