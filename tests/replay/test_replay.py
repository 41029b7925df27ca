"""Replay that survives upgrades (DESIGN.md decision 5; issue "The engine beyond the recorded
cases"): every stored history, written by an earlier engine, is replayed by this one, as a
running execution is when Symphony restarts after an upgrade. A change that would write any
event differently (type, previousEventId or details) makes its replay diverge and fails here:
keep the old behaviour for older `engine` versions (executions/engine/version.py), or
re-record with `python -m tests.replay.record` and say in the release notes which executions
in flight it fails.

No function runs and no token is answered while replaying: every answer comes from the
history's checkpoint, as on a resume."""

import asyncio
import json
from pathlib import Path

import pytest

from designer.asl.model import build_state_machine
from executions.engine import checkpoint
from executions.engine.effects import FakeClock
from executions.engine.history import ReplayDiverged
from executions.integrations import LocalEffects, Resources

HISTORIES = sorted((Path(__file__).resolve().parent / "histories").glob("*.json"))


def replay(stored: dict, definition: dict | None = None):
    machine = build_state_machine(definition or json.loads(stored["definition"]))
    effects = LocalEffects(resources=Resources(), clock=FakeClock())
    execution = checkpoint.resume(machine, stored["checkpoint"], effects)
    outcome = asyncio.run(execution.run())
    return outcome, checkpoint.take(execution)["events"]


def test_replay_keeps_a_history_of_every_state_type_and_of_the_samples():
    names = {path.stem for path in HISTORIES}
    assert {f"sample-{n}" for n in ("order-processing", "brand-asset-pipeline", "iot-pipeline")} <= names
    kinds = set()
    for path in HISTORIES:
        for event in json.loads(path.read_text())["checkpoint"]["events"]:
            kinds.add(event["type"])
    for state_type in ("Pass", "Wait", "Choice", "Succeed", "Fail", "Task", "Parallel", "Map"):
        assert f"{state_type}StateEntered" in kinds, state_type


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
def test_replay_of_a_stored_history_is_identical(path):
    stored = json.loads(path.read_text())
    outcome, events = replay(stored)
    assert events == stored["checkpoint"]["events"]
    assert {
        "status": outcome.status,
        "output": outcome.output_text,
        "error": outcome.error,
        "cause": outcome.cause,
    } == stored["outcome"]


def test_replay_names_the_event_where_a_changed_engine_diverges():
    """What CI shows when behaviour changes: here the definition stands in for an engine that
    writes a Pass state's output differently."""
    stored = json.loads((HISTORIES[0].parent / "pass-wait-succeed.json").read_text())
    changed = json.loads(stored["definition"])
    changed["States"]["P"]["Result"] = {"n": 2}
    with pytest.raises(ReplayDiverged) as diverged:
        replay(stored, changed)
    assert diverged.value.event_id == 3
    assert str(diverged.value) == "event 3 (PassStateExited): its stateExitedEventDetails differ in output"
