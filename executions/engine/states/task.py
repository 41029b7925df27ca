"""Task: invoke a resource through the effects and record AWS's task events.

A Lambda function ARN gives LambdaFunctionScheduled/Started/Succeeded|Failed|TimedOut; an
integration (`arn:aws:states:::<service>:<action>[.<pattern>]`) gives TaskScheduled/Started/
Succeeded|Failed|TimedOut with `resourceType` = service and `resource` = action(.pattern).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from designer.asl.errors import ASLError
from designer.asl.jsonpath import Path
from designer.asl.model import Task
from designer.asl.model.states import NumberOrExpression
from designer.asl.scope import Scope
from executions.engine.errors import HEARTBEAT_TIMEOUT, RUNTIME, TIMEOUT, StateFailure
from executions.engine.frames import StateRun, Work
from executions.engine.history import error_details, payload, to_json
from executions.engine.states.values import evaluate, is_int, show
from executions.engine.tasks import TaskError, TaskRequest, TaskTimeout, parse_resource

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Task], effective: Any) -> Work:
    state = run.state
    scope = run.scope(run.raw_input)
    target = parse_resource(state.resource)
    timeout = _seconds(run, state.timeout_seconds_path, state.timeout_seconds, "TimeoutSecondsPath", scope)
    heartbeat = _seconds(
        run, state.heartbeat_seconds_path, state.heartbeat_seconds, "HeartbeatSecondsPath", scope
    )
    history = run.frame.history
    chain = run.frame.chain
    info = execution.info
    task_ctx = run.context.get("Task")
    request = TaskRequest(
        target=target,
        input=effective,
        state_name=state.name,
        state_machine_name=info.state_machine_name,
        execution_name=info.name,
        task_token=task_ctx.get("Token") if task_ctx else None,
        timeout_seconds=timeout,
        heartbeat_seconds=heartbeat,
        region=info.region,
        account=info.account,
        attempt=run.retry_count,
    )
    if target.kind == "activity":
        return await _activity(execution, run, request, effective, timeout, heartbeat)
    if target.kind == "lambda":
        text, flags = payload(to_json(effective))
        details: dict[str, Any] = {"input": text, "inputDetails": flags, "resource": target.resource}
        if timeout is not None:
            details["timeoutInSeconds"] = int(timeout)
        history.add(chain, "LambdaFunctionScheduled", details)
        history.add(chain, "LambdaFunctionStarted", None)
        prefix = "LambdaFunction"
        common: dict[str, Any] = {}
    else:
        resource = target.action + (f".{target.pattern}" if target.pattern else "")
        common = {"resource": resource, "resourceType": target.service}
        details = {**common, "region": info.region, "parameters": payload(to_json(effective))[0]}
        if timeout is not None:
            details["timeoutInSeconds"] = int(timeout)
        if heartbeat is not None:
            details["heartbeatInSeconds"] = int(heartbeat)
        history.add(chain, "TaskScheduled", details)
        history.add(chain, "TaskStarted", dict(common))
        prefix = "Task"
    try:
        key = run.effect_key()
        # the same invocation keeps its request id when a resumed run invokes it again
        request.request_id = execution.new_id(key + ":request")
        result = await execution.invoke(key, request, history)
    except TaskError as exc:
        history.add(chain, f"{prefix}Failed", {**error_details(exc.error, exc.cause), **common})
        raise StateFailure(exc.error, exc.cause) from None
    except TaskTimeout as exc:
        error = HEARTBEAT_TIMEOUT if exc.heartbeat else TIMEOUT
        history.add(chain, f"{prefix}TimedOut", {**error_details(error, None), **common})
        raise StateFailure(error, None) from None
    text, flags = payload(to_json(result))
    history.add(chain, f"{prefix}Succeeded", {**common, "output": text, "outputDetails": flags})
    return Work(result=result)


async def _activity(
    execution: Execution,
    run: StateRun[Task],
    request: TaskRequest,
    effective: Any,
    timeout: float | None,
    heartbeat: float | None,
) -> Work:
    """An activity: scheduled, started when a worker takes it, answered with its token."""
    history = run.frame.history
    chain = run.frame.chain
    text, flags = payload(to_json(effective))
    details: dict[str, Any] = {"resource": request.target.resource, "input": text, "inputDetails": flags}
    if timeout is not None:
        details["timeoutInSeconds"] = int(timeout)
    if heartbeat is not None:
        details["heartbeatInSeconds"] = int(heartbeat)
    history.add(chain, "ActivityScheduled", details)
    key = run.effect_key()
    request.task_token = execution.new_id(key + ":token")
    # Effects that see workers take tasks (GetActivityTask) say who took it; others record
    # the start at once and deliver the answer through `invoke`.
    started = execution.effects.activity_started
    worker = None
    if started is not None:
        worker = await execution.invoke(key + ":pickup", request, history, call=lambda: started(request))
    history.add(chain, "ActivityStarted", {"workerName": worker} if worker else {})
    try:
        result = await execution.invoke(key, request, history)
    except TaskError as exc:
        history.add(chain, "ActivityFailed", error_details(exc.error, exc.cause))
        raise StateFailure(exc.error, exc.cause) from None
    except TaskTimeout as exc:
        error = HEARTBEAT_TIMEOUT if exc.heartbeat else TIMEOUT
        history.add(chain, "ActivityTimedOut", error_details(error, None))
        raise StateFailure(error, None) from None
    text, flags = payload(to_json(result))
    history.add(chain, "ActivitySucceeded", {"output": text, "outputDetails": flags})
    return Work(result=result)


def _seconds(
    run: StateRun[Task], path: Path | None, value: NumberOrExpression, path_field: str, scope: Scope
) -> float | None:
    """TimeoutSeconds/HeartbeatSeconds: its *Path's value, else the number or JSONata value."""
    if path is not None:
        try:
            found = path.evaluate(scope)
        except ASLError as exc:
            raise run.failure(exc.error, exc.cause) from None
        if not is_int(found) or found <= 0:
            raise run.failure(
                RUNTIME,
                f'The {path_field} field refers to value "{show(found)}" which is not a valid integer: '
                f"{path.text}",
            )
        return float(found)
    seconds = evaluate(value, scope, run)
    return None if seconds is None else float(seconds)
