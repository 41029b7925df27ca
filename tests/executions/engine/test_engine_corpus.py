"""Robustness over real-world definitions (../shared/asl-corpus/valid, every 9th file):
every run ends with an outcome, or is waiting for a task token / an activity worker (which
AWS also waits for), never an exception escaping the engine and never a hang."""

import asyncio
import json
from pathlib import Path

import pytest

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.integrations import LocalEffects
from tests.executions.engine.support import info

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "asl-corpus" / "valid"
SAMPLE = sorted(CORPUS.glob("*.asl.json"))[::9] if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.name[:60])
def test_a_corpus_definition_runs_to_an_outcome_or_waits_for_an_answer(path):
    try:
        machine = build_state_machine(json.loads(path.read_text()))
    except ValueError:
        pytest.skip("the language core does not build this definition")
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(machine, "{}", effects, info())

    async def main():
        task = asyncio.ensure_future(execution.run())
        done, _ = await asyncio.wait({task}, timeout=5)
        if not done:
            waiting = effects.tokens.pending() or effects.tokens.offered()
            task.cancel()
            return "WAITING" if waiting else "HUNG"
        return task.result().status

    status = asyncio.run(main())
    assert status in ("SUCCEEDED", "FAILED", "TIMED_OUT", "WAITING")
