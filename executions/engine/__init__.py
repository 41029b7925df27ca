"""The ASL interpreter: pure Python, asynchronous, no Django, no database, no network.

Run a definition: `Execution(build_state_machine(definition), input_text, effects, info)`,
then `await execution.run()` -> Outcome; the events are `execution.history.events`
(GetExecutionHistory shapes) and reach `effects.emit` as they happen. `Effects` is everything
the engine asks of the outside world; Task resources are answered by the adapters of
executions/integrations that the effects hold (`executions.integrations.LocalEffects` runs in
this process, with a Clock and TokenAnswers). `checkpoint.take` / `checkpoint.resume` save and
continue a run.
"""

from executions.engine import checkpoint
from executions.engine.effects import Clock, Effects, FakeClock, TokenAnswers
from executions.engine.interpreter import Execution, ExecutionInfo, InvalidExecutionInput, Outcome

__all__ = [
    "Clock",
    "Effects",
    "Execution",
    "ExecutionInfo",
    "FakeClock",
    "InvalidExecutionInput",
    "Outcome",
    "TokenAnswers",
    "checkpoint",
]
