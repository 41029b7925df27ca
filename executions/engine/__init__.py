"""The ASL interpreter: pure Python, asynchronous, no Django, no database, no network.

Run a definition: `Execution(build_state_machine(definition), input_text, effects, info)`,
then `await execution.run()` -> Outcome; the events are `execution.history.events`
(GetExecutionHistory shapes) and reach `effects.emit` as they happen. `LocalEffects` bundles
a Clock (time scale), Resources (local functions, mocks, local state machines, files) and
TokenAnswers (task tokens, activities). `checkpoint.take` / `checkpoint.resume` save and
continue a run.
"""

from executions.engine import checkpoint
from executions.engine.effects import Clock, Effects, FakeClock, LocalEffects, TokenAnswers
from executions.engine.interpreter import Execution, ExecutionInfo, InvalidExecutionInput, Outcome
from executions.engine.resources import MockConfig, Resources

__all__ = [
    "Clock",
    "Effects",
    "Execution",
    "ExecutionInfo",
    "FakeClock",
    "InvalidExecutionInput",
    "LocalEffects",
    "MockConfig",
    "Outcome",
    "Resources",
    "TokenAnswers",
    "checkpoint",
]
