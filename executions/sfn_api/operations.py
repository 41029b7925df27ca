"""The Step Functions operations: each takes the parsed request and returns AWS's response
shape. They read models and call ``executions.services`` / the runner for every change.

The table at the bottom (``OPERATIONS``) is the whole list the endpoint answers.
"""

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.db.models import QuerySet

from executions import arns, definitions, functions, runner, services, teststate
from executions.events import epoch, event_dict
from executions.exceptions import (
    InvalidToken,
    ResourceNotFound,
    StateMachineDoesNotExist,
    ValidationException,
)
from executions.models import (
    Activity,
    Execution,
    ExecutionStatus,
    StateMachine,
    StateMachineAlias,
    StateMachineVersion,
)
from executions.sfn_api.auth import Identity

DEFAULT_PAGE = 100
MAX_PAGE = 1000
ACTIVITY_POLL_SECONDS = 60.0


@dataclass
class Call:
    params: dict[str, Any]
    region: str
    identity: Identity

    def required(self, name: str, kind: type = str) -> Any:
        value = self.params.get(name)
        if value is None:
            raise ValidationException(
                f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: "
                "Member must not be null"
            )
        return self.typed(name, value, kind)

    def optional(self, name: str, kind: type = str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else self.typed(name, value, kind)

    @staticmethod
    def typed(name: str, value: Any, kind: type) -> Any:
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise ValidationException(
                f"Value at '{name}' failed to satisfy constraint: must be a {kind.__name__}"
            )
        return value

    @property
    def owner_id(self) -> int | None:
        return self.identity.user_id


def _drop_none(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


# ---- pagination (opaque tokens holding an offset) ---------------------------------------------


def _page(call: Call, rows: QuerySet, default: int = DEFAULT_PAGE) -> tuple[list, str | None]:
    size = call.optional("maxResults", int, 0) or default
    if not 0 < size <= MAX_PAGE:
        raise ValidationException(f"maxResults must be between 1 and {MAX_PAGE}")
    offset = 0
    if token := call.optional("nextToken"):
        try:
            offset = int(json.loads(base64.urlsafe_b64decode(token.encode()))["offset"])
        except (ValueError, KeyError, TypeError):
            raise InvalidToken(f"Invalid Token: '{token}'") from None
    items = list(rows[offset : offset + size + 1])
    more = len(items) > size
    token = (
        base64.urlsafe_b64encode(json.dumps({"offset": offset + size}).encode()).decode() if more else None
    )
    return items[:size], token


# ---- state machines ---------------------------------------------------------------------------


def _logging(machine: StateMachine) -> dict:
    return machine.logging_configuration or {"level": "OFF", "includeExecutionData": False}


def _tracing(machine: StateMachine) -> dict:
    return machine.tracing_configuration or {"enabled": False}


def create_state_machine(call: Call) -> dict:
    machine, version = services.create_state_machine(
        region=call.region,
        name=call.required("name"),
        definition=call.required("definition"),
        role_arn=call.required("roleArn"),
        type=call.optional("type", str, "STANDARD"),
        logging_configuration=call.optional("loggingConfiguration", dict),
        tracing_configuration=call.optional("tracingConfiguration", dict),
        tags=call.optional("tags", list),
        publish=call.optional("publish", bool, False),
        version_description=call.optional("versionDescription", str, ""),
        owner_id=call.owner_id,
    )
    return _drop_none(
        {
            "stateMachineArn": machine.arn,
            "creationDate": epoch(machine.created_at),
            "stateMachineVersionArn": version.arn if version else None,
        }
    )


def describe_state_machine(call: Call) -> dict:
    arn = call.required("stateMachineArn")
    qualifier = arns.qualifier(arn)
    if qualifier is not None:
        if not qualifier.isdigit():
            raise ValidationException("Use DescribeStateMachineAlias to describe an alias")
        version = StateMachineVersion.objects.select_related("state_machine").filter(arn=arn).first()
        if version is None:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        machine = version.state_machine
        return _drop_none(
            {
                "stateMachineArn": version.arn,
                "name": machine.name,
                "status": "ACTIVE",
                "definition": version.definition,
                "roleArn": version.role_arn,
                "type": machine.type,
                "creationDate": epoch(version.created_at),
                "loggingConfiguration": _logging(machine),
                "tracingConfiguration": _tracing(machine),
                "revisionId": version.revision_id,
                "description": version.description or None,
            }
        )
    machine = services.get_state_machine(arn)
    return {
        "stateMachineArn": machine.arn,
        "name": machine.name,
        "status": "ACTIVE",
        "definition": machine.definition,
        "roleArn": machine.role_arn,
        "type": machine.type,
        "creationDate": epoch(machine.created_at),
        "loggingConfiguration": _logging(machine),
        "tracingConfiguration": _tracing(machine),
        "revisionId": machine.revision_id,
    }


def update_state_machine(call: Call) -> dict:
    machine, version = services.update_state_machine(
        call.required("stateMachineArn"),
        definition=call.optional("definition"),
        role_arn=call.optional("roleArn"),
        logging_configuration=call.optional("loggingConfiguration", dict),
        tracing_configuration=call.optional("tracingConfiguration", dict),
        publish=call.optional("publish", bool, False),
        version_description=call.optional("versionDescription", str, ""),
    )
    return _drop_none(
        {
            "updateDate": epoch(machine.updated_at),
            "revisionId": machine.revision_id,
            "stateMachineVersionArn": version.arn if version else None,
        }
    )


def delete_state_machine(call: Call) -> dict:
    services.delete_state_machine(call.required("stateMachineArn"))
    return {}


def list_state_machines(call: Call) -> dict:
    rows, token = _page(call, StateMachine.objects.order_by("created_at", "id"))
    return _drop_none(
        {
            "stateMachines": [
                {
                    "stateMachineArn": m.arn,
                    "name": m.name,
                    "type": m.type,
                    "creationDate": epoch(m.created_at),
                }
                for m in rows
            ],
            "nextToken": token,
        }
    )


def validate_state_machine_definition(call: Call) -> dict:
    definition = call.required("definition")
    severity = call.optional("severity", str, "ERROR")
    if severity not in {"ERROR", "WARNING"}:
        raise ValidationException("severity must be ERROR or WARNING")
    limit = call.optional("maxResults", int, 0) or definitions.MAX_DIAGNOSTICS
    findings = definitions.check(definition, call.optional("type", str, "STANDARD"))
    if severity == "ERROR":
        findings = [f for f in findings if f.severity == "ERROR"]
    has_error = any(f.severity == "ERROR" for f in findings)
    return {
        "result": "FAIL" if has_error else "OK",
        "diagnostics": [
            {"severity": f.severity, "code": f.code, "message": f.message, "location": f.location}
            for f in findings[:limit]
        ],
        "truncated": len(findings) > limit,
    }


# ---- versions and aliases -----------------------------------------------------------------------


def publish_state_machine_version(call: Call) -> dict:
    version = services.publish_version(
        call.required("stateMachineArn"),
        description=call.optional("description", str, ""),
        revision_id=call.optional("revisionId"),
    )
    return {"creationDate": epoch(version.created_at), "stateMachineVersionArn": version.arn}


def list_state_machine_versions(call: Call) -> dict:
    machine = services.get_state_machine(call.required("stateMachineArn"))
    rows, token = _page(call, machine.versions.order_by("-number"))
    return _drop_none(
        {
            "stateMachineVersions": [
                {"stateMachineVersionArn": v.arn, "creationDate": epoch(v.created_at)} for v in rows
            ],
            "nextToken": token,
        }
    )


def delete_state_machine_version(call: Call) -> dict:
    services.delete_state_machine_version(call.required("stateMachineVersionArn"))
    return {}


def create_state_machine_alias(call: Call) -> dict:
    alias = services.create_state_machine_alias(
        name=call.required("name"),
        routing_configuration=call.required("routingConfiguration", list),
        description=call.optional("description", str, ""),
    )
    return {"stateMachineAliasArn": alias.arn, "creationDate": epoch(alias.created_at)}


def describe_state_machine_alias(call: Call) -> dict:
    alias = services.get_alias(call.required("stateMachineAliasArn"))
    return _drop_none(
        {
            "stateMachineAliasArn": alias.arn,
            "name": alias.name,
            "description": alias.description or None,
            "routingConfiguration": alias.routing_configuration,
            "creationDate": epoch(alias.created_at),
            "updateDate": epoch(alias.updated_at),
        }
    )


def update_state_machine_alias(call: Call) -> dict:
    alias = services.update_state_machine_alias(
        call.required("stateMachineAliasArn"),
        description=call.optional("description"),
        routing_configuration=call.optional("routingConfiguration", list),
    )
    return {"updateDate": epoch(alias.updated_at)}


def delete_state_machine_alias(call: Call) -> dict:
    services.delete_state_machine_alias(call.required("stateMachineAliasArn"))
    return {}


def list_state_machine_aliases(call: Call) -> dict:
    machine = services.get_state_machine(call.required("stateMachineArn"))
    rows, token = _page(call, StateMachineAlias.objects.filter(state_machine=machine).order_by("created_at"))
    return _drop_none(
        {
            "stateMachineAliases": [
                {"stateMachineAliasArn": a.arn, "creationDate": epoch(a.created_at)} for a in rows
            ],
            "nextToken": token,
        }
    )


# ---- executions ---------------------------------------------------------------------------------


def start_execution(call: Call) -> dict:
    execution, created = services.start_execution(
        call.required("stateMachineArn"),
        name=call.optional("name"),
        input=call.optional("input"),
        trace_header=call.optional("traceHeader", str, ""),
        owner_id=call.owner_id,
    )
    if created:
        runner.submit_on_commit(execution.pk)
    return {"executionArn": execution.arn, "startDate": epoch(execution.started_at)}


def _redrive_status(execution: Execution) -> tuple[str, str | None]:
    if execution.status in {ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED}:
        return "NOT_REDRIVABLE", f"Execution is {execution.status} and cannot be redriven"
    if execution.type == "EXPRESS":
        return "NOT_REDRIVABLE", "Execution is EXPRESS and cannot be redriven"
    return "REDRIVABLE", None


def describe_execution_dict(execution: Execution) -> dict:
    redrive_status, reason = _redrive_status(execution)
    finished = execution.status != ExecutionStatus.RUNNING
    return _drop_none(
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
        }
    )


def describe_execution(call: Call) -> dict:
    return describe_execution_dict(services.get_execution(call.required("executionArn")))


def describe_state_machine_for_execution(call: Call) -> dict:
    execution = services.get_execution(call.required("executionArn"))
    machine = execution.state_machine
    return _drop_none(
        {
            "stateMachineArn": execution.version_arn or execution.state_machine_arn,
            "name": execution.state_machine_name,
            "definition": execution.definition,
            "roleArn": execution.role_arn,
            "updateDate": epoch(machine.updated_at if machine else execution.started_at),
            "loggingConfiguration": _logging(machine) if machine else {"level": "OFF"},
            "tracingConfiguration": _tracing(machine) if machine else {"enabled": False},
            "revisionId": machine.revision_id if machine and not execution.version_arn else None,
        }
    )


def list_executions(call: Call) -> dict:
    arn = call.optional("stateMachineArn")
    if arn is None:
        if call.optional("mapRunArn") is not None:
            raise ResourceNotFound(f"Resource not found: '{call.params['mapRunArn']}'")
        raise ValidationException("Must provide a StateMachine ARN or MapRun ARN")
    qualifier = arns.qualifier(arn)
    if qualifier is None:
        services.get_state_machine(arn)
        rows = Execution.objects.filter(state_machine_arn=arn)
    elif qualifier.isdigit():
        services.get_version(arn)
        rows = Execution.objects.filter(version_arn=arn)
    else:
        services.get_alias(arn)
        rows = Execution.objects.filter(alias_arn=arn)
    if status := call.optional("statusFilter"):
        if status not in ExecutionStatus.values:
            raise ValidationException(f"Value '{status}' at 'statusFilter' failed to satisfy enum constraint")
        rows = rows.filter(status=status)
    redrive = call.optional("redriveFilter")
    if redrive == "REDRIVEN":
        rows = rows.filter(redrive_count__gt=0)
    elif redrive == "NOT_REDRIVEN":
        rows = rows.filter(redrive_count=0)
    page, token = _page(call, rows.order_by("-started_at", "-id"))
    return _drop_none(
        {
            "executions": [
                _drop_none(
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
                    }
                )
                for e in page
            ],
            "nextToken": token,
        }
    )


def get_execution_history(call: Call) -> dict:
    execution = services.get_execution(call.required("executionArn"))
    reverse = call.optional("reverseOrder", bool, False)
    include_data = call.optional("includeExecutionData", bool, True)
    rows = execution.events.order_by("-event_id" if reverse else "event_id")
    page, token = _page(call, rows)
    return _drop_none({"events": [event_dict(e, include_data) for e in page], "nextToken": token})


def stop_execution(call: Call) -> dict:
    execution = runner.stop_execution(
        call.required("executionArn"), error=call.optional("error"), cause=call.optional("cause")
    )
    return {"stopDate": epoch(execution.stopped_at)}


async def start_sync_execution(call: Call) -> dict:
    execution, _ = await sync_to_async(services.start_execution, thread_sensitive=False)(
        call.required("stateMachineArn"),
        name=call.optional("name"),
        input=call.optional("input"),
        trace_header=call.optional("traceHeader", str, ""),
        owner_id=call.owner_id,
        express=True,
    )
    execution = await runner.run_to_completion(execution.pk)
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


async def test_state(call: Call) -> dict:
    resources = await sync_to_async(functions.resources, thread_sensitive=False)()
    return await teststate.test_state(
        call.required("definition"),
        call.optional("input"),
        call.optional("roleArn", str, "arn:aws:iam::000000000000:role/test-state"),
        resources,
    )


# ---- task tokens and activities -----------------------------------------------------------------


def send_task_success(call: Call) -> dict:
    token = services.send_task_success(call.required("taskToken"), call.required("output"))
    runner.notify(token.execution_id)
    return {}


def send_task_failure(call: Call) -> dict:
    token = services.send_task_failure(
        call.required("taskToken"), error=call.optional("error"), cause=call.optional("cause")
    )
    runner.notify(token.execution_id)
    return {}


def send_task_heartbeat(call: Call) -> dict:
    services.send_task_heartbeat(call.required("taskToken"))
    return {}


def create_activity(call: Call) -> dict:
    activity = services.create_activity(
        region=call.region,
        name=call.required("name"),
        tags=call.optional("tags", list),
        owner_id=call.owner_id,
    )
    return {"activityArn": activity.arn, "creationDate": epoch(activity.created_at)}


def describe_activity(call: Call) -> dict:
    activity = services.get_activity(call.required("activityArn"))
    return {"activityArn": activity.arn, "name": activity.name, "creationDate": epoch(activity.created_at)}


def delete_activity(call: Call) -> dict:
    services.delete_activity(call.required("activityArn"))
    return {}


def list_activities(call: Call) -> dict:
    rows, token = _page(call, Activity.objects.order_by("created_at", "id"))
    return _drop_none(
        {
            "activities": [
                {"activityArn": a.arn, "name": a.name, "creationDate": epoch(a.created_at)} for a in rows
            ],
            "nextToken": token,
        }
    )


async def get_activity_task(call: Call) -> dict:
    """Long poll: up to 60 s for a task, then an empty answer (as AWS)."""
    activity = await sync_to_async(services.get_activity, thread_sensitive=False)(
        call.required("activityArn")
    )
    worker = call.optional("workerName", str, "")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ACTIVITY_POLL_SECONDS
    claim = sync_to_async(services.claim_activity_task, thread_sensitive=False)
    while True:
        task = await claim(activity, worker)
        if task is not None:
            return {"taskToken": task.token, "input": task.task_input}
        remaining = deadline - loop.time()
        if remaining <= 0:
            return {}
        await runner.wait_for_activity(activity.pk, min(remaining, 1.0))


# ---- tags ---------------------------------------------------------------------------------------


def tag_resource(call: Call) -> dict:
    services.tag_resource(call.required("resourceArn"), call.required("tags", list))
    return {}


def untag_resource(call: Call) -> dict:
    services.untag_resource(call.required("resourceArn"), call.required("tagKeys", list))
    return {}


def list_tags_for_resource(call: Call) -> dict:
    tags = services.list_tags(call.required("resourceArn"))
    return {"tags": [{"key": k, "value": v} for k, v in tags.items()]}


OPERATIONS: dict[str, Callable[[Call], dict]] = {
    "CreateStateMachine": create_state_machine,
    "DescribeStateMachine": describe_state_machine,
    "UpdateStateMachine": update_state_machine,
    "DeleteStateMachine": delete_state_machine,
    "ListStateMachines": list_state_machines,
    "ValidateStateMachineDefinition": validate_state_machine_definition,
    "PublishStateMachineVersion": publish_state_machine_version,
    "ListStateMachineVersions": list_state_machine_versions,
    "DeleteStateMachineVersion": delete_state_machine_version,
    "CreateStateMachineAlias": create_state_machine_alias,
    "DescribeStateMachineAlias": describe_state_machine_alias,
    "UpdateStateMachineAlias": update_state_machine_alias,
    "DeleteStateMachineAlias": delete_state_machine_alias,
    "ListStateMachineAliases": list_state_machine_aliases,
    "StartExecution": start_execution,
    "DescribeExecution": describe_execution,
    "DescribeStateMachineForExecution": describe_state_machine_for_execution,
    "ListExecutions": list_executions,
    "GetExecutionHistory": get_execution_history,
    "StopExecution": stop_execution,
    "SendTaskSuccess": send_task_success,
    "SendTaskFailure": send_task_failure,
    "SendTaskHeartbeat": send_task_heartbeat,
    "CreateActivity": create_activity,
    "DescribeActivity": describe_activity,
    "DeleteActivity": delete_activity,
    "ListActivities": list_activities,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}

ASYNC_OPERATIONS: dict[str, Callable[[Call], Awaitable[dict]]] = {
    "StartSyncExecution": start_sync_execution,
    "GetActivityTask": get_activity_task,
    "TestState": test_state,
}
