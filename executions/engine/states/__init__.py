"""One module per state type. Each exposes `async def run(execution, run, effective) -> Work`:
the state's work only (see interpreter.py for the life order around it)."""

from executions.engine.states import choice, fail, map, parallel, pass_, succeed, task, wait

RUNNERS = {
    "Pass": pass_.run,
    "Task": task.run,
    "Choice": choice.run,
    "Wait": wait.run,
    "Succeed": succeed.run,
    "Fail": fail.run,
    "Parallel": parallel.run,
    "Map": map.run,
}
