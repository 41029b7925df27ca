"""Run the replay scenarios on the current engine and store their histories in histories/.

    .venv/bin/python -m tests.replay.record            # (re)write every history
    .venv/bin/python -m tests.replay.record NAME ...   # just these

Re-recording is a decision: it accepts that executions in flight when this engine ships,
whose histories were written by the previous one, may diverge (see executions/engine/version.py).
"""

from __future__ import annotations

import asyncio
import json
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

from designer.asl.model import build_state_machine
from executions.engine import checkpoint
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution, ExecutionInfo
from executions.integrations import LocalEffects, Resources
from tests.replay.scenarios import FUNCTIONS, SCENARIOS, Scenario

HISTORIES = Path(__file__).resolve().parent / "histories"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def sample_functions() -> dict:
    found = {}
    for path in sorted(FUNCTIONS.glob("*.py")):
        module = types.ModuleType(path.stem)
        exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
        found[path.stem] = module.handler
    return found


def info(name: str) -> ExecutionInfo:
    machine = f"replay-{name}"
    return ExecutionInfo(
        f"arn:aws:states:us-east-1:123456789012:execution:{machine}:run-1",
        f"arn:aws:states:us-east-1:123456789012:stateMachine:{machine}",
        "run-1",
        machine,
        "arn:aws:iam::123456789012:role/replay",
    )


async def _answer_when_waiting(effects: LocalEffects, output) -> None:
    while True:
        for token in effects.tokens.pending():
            effects.tokens.send_success(token, output)
            return
        await asyncio.sleep(0.001)


async def run(scenario: Scenario) -> dict:
    resources = Resources()
    for name, handler in {**sample_functions(), **scenario.functions}.items():
        resources.register(name, handler)
    effects = LocalEffects(resources=resources, clock=FakeClock(START))
    definition = json.dumps(scenario.definition, indent=2)
    execution = Execution(
        build_state_machine(scenario.definition), json.dumps(scenario.input), effects, info(scenario.name)
    )
    answering = (
        asyncio.ensure_future(_answer_when_waiting(effects, scenario.answer)) if scenario.answer else None
    )
    outcome = await execution.run()
    if answering is not None:
        answering.cancel()
    return {
        "name": scenario.name,
        "definition": definition,
        "checkpoint": checkpoint.take(execution),
        "outcome": {
            "status": outcome.status,
            "output": outcome.output_text,
            "error": outcome.error,
            "cause": outcome.cause,
        },
    }


def main(names: list[str]) -> None:
    HISTORIES.mkdir(exist_ok=True)
    for scenario in SCENARIOS:
        if names and scenario.name not in names:
            continue
        stored = asyncio.run(run(scenario))
        path = HISTORIES / f"{scenario.name}.json"
        path.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n")
        events = stored["checkpoint"]["events"]
        print(f"{path.name}: {stored['outcome']['status']}, {len(events)} events")


if __name__ == "__main__":
    import django

    django.setup()  # the sample functions are plain Python; settings only for designer imports
    main(sys.argv[1:])
