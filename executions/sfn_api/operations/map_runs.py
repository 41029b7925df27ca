"""Map runs of distributed Maps: DescribeMapRun, ListMapRuns, UpdateMapRun."""

from executions import runner
from executions.engine.map_runs import COUNT_KEYS
from executions.events import epoch
from executions.exceptions import ValidationException
from executions.models import MapRun
from executions.services import executions, map_runs
from executions.sfn_api.operations.common import Call, drop_none, paginate


def _counts(counts: dict) -> dict:
    return {key: counts.get(key, 0) for key in COUNT_KEYS}


def describe_map_run(call: Call) -> dict:
    run = map_runs.get_map_run(call.required("mapRunArn"), call.account)
    return drop_none(
        {
            "mapRunArn": run.arn,
            "executionArn": run.execution.arn,
            "status": run.status,
            "startDate": epoch(run.started_at),
            "stopDate": epoch(run.stopped_at),
            "maxConcurrency": run.max_concurrency,
            "toleratedFailurePercentage": run.tolerated_failure_percentage,
            "toleratedFailureCount": run.tolerated_failure_count,
            "itemCounts": _counts(run.item_counts),
            "executionCounts": _counts(run.execution_counts),
            "redriveCount": 0,
        }
    )


def list_map_runs(call: Call) -> dict:
    execution = executions.get_execution(call.required("executionArn"), call.account)
    rows, token = paginate(call, MapRun.objects.filter(execution=execution).order_by("started_at", "id"))
    return drop_none(
        {
            "mapRuns": [
                drop_none(
                    {
                        "executionArn": execution.arn,
                        "mapRunArn": run.arn,
                        "stateMachineArn": run.state_machine_arn,
                        "startDate": epoch(run.started_at),
                        "stopDate": epoch(run.stopped_at),
                    }
                )
                for run in rows
            ],
            "nextToken": token,
        }
    )


def update_map_run(call: Call) -> dict:
    percentage = call.params.get("toleratedFailurePercentage")
    if percentage is not None and (isinstance(percentage, bool) or not isinstance(percentage, int | float)):
        raise ValidationException(
            "Value at 'toleratedFailurePercentage' failed to satisfy constraint: must be a float"
        )
    run = map_runs.update_map_run(
        call.required("mapRunArn"),
        call.account,
        max_concurrency=call.optional("maxConcurrency", int),
        tolerated_failure_count=call.optional("toleratedFailureCount", int),
        tolerated_failure_percentage=None if percentage is None else float(percentage),
    )
    runner.notify(run.execution_id)
    return {}
