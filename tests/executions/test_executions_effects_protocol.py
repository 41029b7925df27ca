"""The engine's boundary: `Effects` declares every member the engine uses, and both Effects the
project has (LocalEffects in this process, the runner's DurableEffects) provide all of them."""

import re
from pathlib import Path

import pytest

from executions.effects import DurableEffects
from executions.engine.effects import Effects, FakeClock
from executions.integrations import LocalEffects, Resources
from executions.models import Execution

ENGINE = Path(__file__).resolve().parents[2] / "executions" / "engine"


def protocol_members() -> set[str]:
    declared = {name for name in vars(Effects) if not name.startswith("_")}
    return declared | set(Effects.__annotations__)


def test_effects_declares_what_the_engine_reaches():
    # Every `effects.<member>` the engine's code touches is in the protocol: nothing is reached
    # around it (the engine once used getattr(effects, ...) for five undeclared members).
    used = set()
    for source in ENGINE.rglob("*.py"):
        used |= set(re.findall(r"\beffects\.(\w+)", source.read_text()))
    assert used, "the engine reaches its effects somewhere"
    assert used - protocol_members() == set()


@pytest.mark.parametrize(
    "effects",
    [
        LocalEffects(resources=Resources(), clock=FakeClock()),
        # An unsaved row: the runner's effects need only its primary key to be built.
        DurableEffects(
            execution=Execution(pk=1), owner="test", db=None, resources=Resources(), clock=FakeClock()
        ),
    ],
    ids=["LocalEffects", "DurableEffects"],
)
def test_every_effects_provides_the_whole_protocol(effects):
    assert sorted(m for m in protocol_members() if not hasattr(effects, m)) == []
