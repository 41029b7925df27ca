"""Executions: start (standard and synchronous express), describe, list with filters, stop."""

from executions import arns, runner
from executions.events import epoch
from executions.exceptions import ValidationException
from executions.models import Execution, ExecutionStatus
from executions.services import aliases, executions, machines, map_runs, redrives
from executions.sfn_api.operations.common import Call, Staged, drop_none, paginate
from executions.sfn_api.operations.machines import logging_configuration, tracing_configuration


def start_execution(call: Call) -> dict:
    execution, created = executions.start_execution(
        call.required("stateMachineArn"),
        call.account,
        name=call.optional("name"),
        input=call.optional("input"),
        trace_header=call.optional("traceHeader", str, ""),
        owner_id=call.owner_id,
        lease=runner.start_lease(),
    )
    if created:
        runner.submit_on_commit(execution)
    return {"executionArn": execution.arn, "startDate": epoch(execution.started_at)}


def describe_execution_dict(execution: Execution) -> dict:
    reason = redrives.not_redrivable(execution)
    redrive_status = "REDRIVABLE" if reason is None else "NOT_REDRIVABLE"
    finished = execution.status != ExecutionStatus.RUNNING
    return drop_none(
        {
            "executionArn": execution.arn,
            "stateMachineArn": execution.version_arn or execution.state_machine_arn,
            "name": execution.name,
            "status": execution.status,
            "startDate": epoch(execution.started_at),
            "stopDate": epoch(execution.stopped_at),
            "input": execution.input,
            "inputDetails": {"included": True},
            "output": execution.output,
            "outputDetails": {"included": True} if finished and execution.output is not None else None,
            "error": execution.error,
            "cause": execution.cause,
            "traceHeader": execution.trace_header or None,
            "redriveCount": execution.redrive_count,
            "redriveDate": epoch(execution.redrive_date),
            "redriveStatus": redrive_status,
            "redriveStatusReason": reason,
            "stateMachineVersionArn": execution.version_arn or None,
            "stateMachineAliasArn": execution.alias_arn or None,
            "mapRunArn": execution.map_run.arn if execution.map_run_id else None,
        }
    )


def describe_execution(call: Call) -> dict:
    return describe_execution_dict(
        executions.get_execution(call.required("executionArn"), call.account, described=True)
    )


def describe_state_machine_for_execution(call: Call) -> dict:
    execution = executions.get_execution(call.required("executionArn"), call.account)
    machine = execution.state_machine
    return drop_none(
        {
            "stateMachineArn": execution.version_arn or execution.state_machine_arn,
            "name": execution.state_machine_name,
            "definition": execution.definition,
            "roleArn": execution.role_arn,
            "updateDate": epoch(machine.updated_at if machine else execution.started_at),
            "loggingConfiguration": logging_configuration(machine) if machine else {"level": "OFF"},
            "tracingConfiguration": tracing_configuration(machine) if machine else {"enabled": False},
            "revisionId": machine.revision_id if machine and not execution.version_arn else None,
            "mapRunArn": execution.map_run.arn if execution.map_run_id else None,
            "label": execution.map_run.label if execution.map_run_id else None,
        }
    )


def list_executions(call: Call) -> dict:
    arn = call.optional("stateMachineArn")
    map_run_arn = call.optional("mapRunArn")
    if arn is None and map_run_arn is None:
        raise ValidationException("Must provide a StateMachine ARN or MapRun ARN")
    if arn is not None and map_run_arn is not None:
        raise ValidationException("Must provide either a StateMachine ARN or a MapRun ARN, not both")
    qualifier = None if arn is None else arns.qualifier(arn)
    if map_run_arn is not None:
        rows = Execution.objects.filter(map_run=map_runs.get_map_run(map_run_arn, call.account))
    elif qualifier is None:
        machines.get_state_machine(arn, call.account)
        rows = Execution.objects.filter(state_machine_arn=arn)
    elif qualifier.isdigit():
        machines.get_version(arn, call.account)
        rows = Execution.objects.filter(version_arn=arn)
    else:
        aliases.get_alias(arn, call.account)
        rows = Execution.objects.filter(alias_arn=arn)
    if status := call.optional("statusFilter"):
        if status not in ExecutionStatus.values:
            raise ValidationException(f"Value '{status}' at 'statusFilter' failed to satisfy enum constraint")
        rows = rows.filter(status=status)
    redrive = call.optional("redriveFilter")
    if redrive not in {None, "REDRIVEN", "NOT_REDRIVEN"}:
        raise ValidationException(
            f"1 validation error detected: Value '{redrive}' at 'redriveFilter' failed to satisfy "
            "constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]"
        )
    if redrive == "REDRIVEN":
        rows = rows.filter(redrive_count__gt=0)
    elif redrive == "NOT_REDRIVEN":
        rows = rows.filter(redrive_count=0)
    page, token = paginate(call, rows.order_by("-started_at", "-id"))
    return drop_none(
        {
            "executions": [
                drop_none(
                    {
                        "executionArn": e.arn,
                        "stateMachineArn": e.state_machine_arn,
                        "name": e.name,
                        "status": e.status,
                        "startDate": epoch(e.started_at),
                        "stopDate": epoch(e.stopped_at),
                        "redriveCount": e.redrive_count,
                        "redriveDate": epoch(e.redrive_date),
                        "stateMachineVersionArn": e.version_arn or None,
                        "stateMachineAliasArn": e.alias_arn or None,
                        # Only when listing a map run's children, as AWS answers.
                        "mapRunArn": map_run_arn,
                        "itemCount": e.item_count if map_run_arn else None,
                    }
                )
                for e in page
            ],
            "nextToken": token,
        }
    )


def stop_execution(call: Call) -> dict:
    execution = runner.stop_execution(
        call.required("executionArn"),
        call.account,
        error=_bounded(call, "error", 256),
        cause=_bounded(call, "cause", 32768),
    )
    return {"stopDate": epoch(execution.stopped_at)}


def _bounded(call: Call, name: str, limit: int) -> str | None:
    """An optional string no longer than the API reference's length constraint."""
    value = call.optional(name)
    if value is not None and len(value) > limit:
        raise ValidationException(
            f"1 validation error detected: Value at '{name}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {limit}"
        )
    return value


def _start_express(call: Call) -> Execution:
    execution, _ = executions.start_execution(
        call.required("stateMachineArn"),
        call.account,
        name=call.optional("name"),
        input=call.optional("input"),
        trace_header=call.optional("traceHeader", str, ""),
        owner_id=call.owner_id,
        express=True,
        lease=runner.start_lease(),
    )
    return execution


async def _run_express(call: Call, execution: Execution) -> dict:
    execution = await runner.run_to_completion(execution)
    described = describe_execution_dict(execution)
    keep = ("executionArn", "stateMachineArn", "name", "startDate", "stopDate", "status", "error", "cause")
    result = {k: described[k] for k in keep if k in described}
    result.update(
        {
            "input": execution.input,
            "inputDetails": {"included": True},
            "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100},
        }
    )
    if execution.output is not None:
        result.update({"output": execution.output, "outputDetails": {"included": True}})
    if execution.trace_header:
        result["traceHeader"] = execution.trace_header
    return result


start_sync_execution = Staged(_start_express, _run_express)
