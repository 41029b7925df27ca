"""One module per state type. Each exposes `async def run(execution, run, effective) -> Work`:
the state's work only (see interpreter.py for the life order around it).

Adding a state type touches: its fields in designer/asl/state_fields.py; its frozen dataclass in
designer/asl/model and the `State` union there; a module here
(`<type lowercased>.py`) returning Work (result and/or next) and adding only its own events
through `run.frame.history` on `run.frame.chain`; an entry in RUNNERS; its details key in
history.py if AWS gives its events one; unit tests in tests/executions/engine/states/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from executions.engine.frames import StateRun, Work
from executions.engine.states import choice, fail, map, parallel, pass_, succeed, task, wait

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution

# A state type's work; the table is keyed by the state's `type`, so each runner receives the
# StateRun of its own dataclass (`StateRun[Task]` for task.run).
Runner = Callable[["Execution", StateRun[Any], Any], Awaitable[Work]]

RUNNERS: dict[str, Runner] = {
    "Pass": pass_.run,
    "Task": task.run,
    "Choice": choice.run,
    "Wait": wait.run,
    "Succeed": succeed.run,
    "Fail": fail.run,
    "Parallel": parallel.run,
    "Map": map.run,
}
