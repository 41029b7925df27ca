"""Every write of the runner app: state machines, versions, aliases, executions, task tokens,
activities, tags and access keys.

Views, the Step Functions endpoint, consumers and the runner call these; none of them saves a
model itself. The transition commit (history + checkpoint) lives in ``executions.effects``.
"""

import json
import re
import secrets
import string
import uuid
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from executions import arns, definitions, live
from executions.exceptions import (
    ActivityDoesNotExist,
    ConflictException,
    ExecutionAlreadyExists,
    ExecutionDoesNotExist,
    InvalidArn,
    InvalidExecutionInput,
    InvalidOutput,
    InvalidToken,
    ResourceNotFound,
    StateMachineAlreadyExists,
    StateMachineDoesNotExist,
    StateMachineTypeNotSupported,
    TaskDoesNotExist,
    TaskTimedOut,
    TooManyTags,
    ValidationException,
)
from executions.models import (
    AccessKey,
    Activity,
    Execution,
    ExecutionStatus,
    HistoryEvent,
    LocalFunction,
    StateMachine,
    StateMachineAlias,
    StateMachineType,
    StateMachineVersion,
    TaskToken,
    TaskTokenStatus,
)

MAX_PAYLOAD_BYTES = 256 * 1024
MAX_TAGS = 50


def _revision() -> str:
    return str(uuid.uuid4())


def _parse_json_payload(text: str | None, error: type[Exception], what: str) -> str:
    if text is None:
        return "{}"
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise error(f"{what} exceeds the maximum size of {MAX_PAYLOAD_BYTES} bytes")
    try:
        json.loads(text)
    except ValueError as exc:
        raise error(f"Invalid {what.lower()}: {exc}") from exc
    return text


# ---- state machines ---------------------------------------------------------------------------


def get_state_machine(arn: str) -> StateMachine:
    parsed = arns.parse(arn)
    if parsed.resource_type != "stateMachine" or len(parsed.parts) != 1:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    try:
        return StateMachine.objects.get(arn=arn)
    except StateMachine.DoesNotExist:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'") from None


def create_state_machine(
    *,
    region: str,
    name: str,
    definition: str,
    role_arn: str,
    type: str = StateMachineType.STANDARD,
    logging_configuration: dict | None = None,
    tracing_configuration: dict | None = None,
    tags: list[dict] | None = None,
    publish: bool = False,
    version_description: str = "",
    owner_id: int | None = None,
) -> tuple[StateMachine, StateMachineVersion | None]:
    arns.validate_name(name)
    if type not in StateMachineType.values:
        raise ValidationException(f"Value '{type}' at 'type' failed to satisfy constraint")
    definitions.require_valid(definition, type)
    arn = arns.state_machine(region, name)
    existing = StateMachine.objects.filter(arn=arn).first()
    if existing is not None:
        # AWS: an identical create is idempotent; anything different is a conflict.
        if existing.definition == definition and existing.role_arn == role_arn and existing.type == type:
            return existing, None
        raise StateMachineAlreadyExists(f"State Machine Already Exists: '{arn}'")
    with transaction.atomic():
        machine = StateMachine.objects.create(
            arn=arn,
            name=name,
            type=type,
            definition=definition,
            role_arn=role_arn,
            logging_configuration=logging_configuration or {},
            tracing_configuration=tracing_configuration or {},
            revision_id=_revision(),
            tags=_tag_dict(tags or []),
            owner_id=owner_id,
        )
        version = publish_version(machine, description=version_description) if publish else None
    return machine, version


def update_state_machine(
    arn: str,
    *,
    definition: str | None = None,
    role_arn: str | None = None,
    logging_configuration: dict | None = None,
    tracing_configuration: dict | None = None,
    publish: bool = False,
    version_description: str = "",
) -> tuple[StateMachine, StateMachineVersion | None]:
    machine = get_state_machine(arn)
    if (
        definition is None
        and role_arn is None
        and logging_configuration is None
        and not tracing_configuration
    ):
        raise ValidationException(
            "One of the following must be provided: definition, roleArn, loggingConfiguration, "
            "tracingConfiguration"
        )
    if definition is not None:
        definitions.require_valid(definition, machine.type)
        machine.definition = definition
    if role_arn is not None:
        machine.role_arn = role_arn
    if logging_configuration is not None:
        machine.logging_configuration = logging_configuration
    if tracing_configuration is not None:
        machine.tracing_configuration = tracing_configuration
    machine.revision_id = _revision()
    with transaction.atomic():
        machine.save()
        version = publish_version(machine, description=version_description) if publish else None
    return machine, version


def delete_state_machine(arn: str) -> None:
    """Deleting a missing state machine succeeds, as on AWS. Running executions keep running."""
    parsed = arns.parse(arn)
    if parsed.resource_type != "stateMachine":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    if len(parsed.parts) == 2:
        raise ValidationException(
            "Use DeleteStateMachineVersion or DeleteStateMachineAlias for qualified ARNs"
        )
    StateMachine.objects.filter(arn=arn).delete()


def publish_version(
    machine: StateMachine | str, *, description: str = "", revision_id: str | None = None
) -> StateMachineVersion:
    """Publish the current definition; publishing an unchanged revision returns its version."""
    with transaction.atomic():
        if isinstance(machine, str):
            machine = get_state_machine(machine)
        machine = StateMachine.objects.select_for_update().get(pk=machine.pk)
        if revision_id is not None and revision_id != machine.revision_id:
            raise ConflictException(
                f"Failed to publish the State Machine version because the revisionId '{revision_id}' "
                f"does not match the current revisionId '{machine.revision_id}'"
            )
        latest = machine.versions.first()
        if latest is not None and latest.revision_id == machine.revision_id:
            return latest
        number = machine.last_version_number + 1
        StateMachine.objects.filter(pk=machine.pk).update(last_version_number=number)
        return StateMachineVersion.objects.create(
            state_machine=machine,
            number=number,
            arn=f"{machine.arn}:{number}",
            definition=machine.definition,
            role_arn=machine.role_arn,
            description=description,
            revision_id=machine.revision_id,
        )


def get_version(arn: str) -> StateMachineVersion:
    try:
        return StateMachineVersion.objects.select_related("state_machine").get(arn=arn)
    except StateMachineVersion.DoesNotExist:
        raise ResourceNotFound(f"Resource not found: '{arn}'") from None


def delete_state_machine_version(arn: str) -> None:
    qualifier = arns.qualifier(arn)
    if qualifier is None or not qualifier.isdigit():
        raise ValidationException(f"Invalid version ARN: '{arn}'")
    version = StateMachineVersion.objects.filter(arn=arn).first()
    if version is None:
        return
    if aliases := _aliases_pointing_to(version):
        raise ConflictException(
            "Version to be deleted must not be referenced by an alias. Current list of aliases referencing "
            f"this version: [{', '.join(a.arn for a in aliases)}]"
        )
    version.delete()


def _aliases_pointing_to(version: StateMachineVersion) -> list[StateMachineAlias]:
    return [
        alias
        for alias in StateMachineAlias.objects.filter(state_machine_id=version.state_machine_id)
        if any(r.get("stateMachineVersionArn") == version.arn for r in alias.routing_configuration)
    ]


# ---- aliases ------------------------------------------------------------------------------------


def _check_routing(routing: list[dict], machine: StateMachine | None = None) -> StateMachine:
    if not isinstance(routing, list) or not 1 <= len(routing) <= 2:
        raise ValidationException("routingConfiguration must have one or two entries")
    versions = []
    for entry in routing:
        version = get_version(entry.get("stateMachineVersionArn", ""))
        weight = entry.get("weight")
        if not isinstance(weight, int) or not 0 <= weight <= 100:
            raise ValidationException("weight must be an integer between 0 and 100")
        versions.append(version)
    if sum(entry["weight"] for entry in routing) != 100:
        raise ValidationException("Sum of routing configuration weights must be equal to 100")
    if len({v.arn for v in versions}) != len(versions):
        raise ValidationException("Routing configuration must contain distinct state machine versions")
    owners = {v.state_machine_id for v in versions}
    if len(owners) != 1 or (machine is not None and machine.pk not in owners):
        raise ValidationException("Routing configuration versions must belong to the same state machine")
    return versions[0].state_machine


def create_state_machine_alias(
    *, name: str, routing_configuration: list[dict], description: str = ""
) -> StateMachineAlias:
    arns.validate_name(name)
    if name.isdigit():
        raise ValidationException("Alias name can not be a number")
    machine = _check_routing(routing_configuration)
    arn = f"{machine.arn}:{name}"
    existing = StateMachineAlias.objects.filter(arn=arn).first()
    if existing is not None:
        if existing.routing_configuration == routing_configuration and existing.description == description:
            return existing
        raise ConflictException(f"Failed to create alias because an alias with the same name exists: '{arn}'")
    return StateMachineAlias.objects.create(
        state_machine=machine,
        name=name,
        arn=arn,
        description=description,
        routing_configuration=routing_configuration,
    )


def get_alias(arn: str) -> StateMachineAlias:
    try:
        return StateMachineAlias.objects.select_related("state_machine").get(arn=arn)
    except StateMachineAlias.DoesNotExist:
        raise ResourceNotFound(f"Resource not found: '{arn}'") from None


def update_state_machine_alias(
    arn: str, *, description: str | None = None, routing_configuration: list[dict] | None = None
) -> StateMachineAlias:
    alias = get_alias(arn)
    if description is None and routing_configuration is None:
        raise ValidationException("One of description or routingConfiguration must be provided")
    if routing_configuration is not None:
        _check_routing(routing_configuration, alias.state_machine)
        alias.routing_configuration = routing_configuration
    if description is not None:
        alias.description = description
    alias.save()
    return alias


def delete_state_machine_alias(arn: str) -> None:
    StateMachineAlias.objects.filter(arn=arn).delete()


# ---- executions ---------------------------------------------------------------------------------


def _resolve_target(arn: str) -> tuple[StateMachine, StateMachineVersion | None, StateMachineAlias | None]:
    """The state machine, version and alias a StartExecution ARN names (an alias picks a
    version by its routing weights)."""
    qualifier = arns.qualifier(arn)
    if qualifier is None:
        return get_state_machine(arn), None, None
    if qualifier.isdigit():
        version = StateMachineVersion.objects.select_related("state_machine").filter(arn=arn).first()
        if version is None:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        return version.state_machine, version, None
    alias = StateMachineAlias.objects.select_related("state_machine").filter(arn=arn).first()
    if alias is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    pick = secrets.randbelow(100)
    for entry in alias.routing_configuration:
        if pick < entry["weight"]:
            return alias.state_machine, get_version(entry["stateMachineVersionArn"]), alias
        pick -= entry["weight"]
    return alias.state_machine, get_version(alias.routing_configuration[-1]["stateMachineVersionArn"]), alias


def start_execution(
    state_machine_arn: str,
    *,
    name: str | None = None,
    input: str | None = None,
    trace_header: str = "",
    owner_id: int | None = None,
    express: bool = False,
) -> tuple[Execution, bool]:
    """Create a RUNNING execution; ``(execution, created)``. AWS's idempotency by name: the same
    name and input while it runs returns the running one; anything else is ExecutionAlreadyExists."""
    machine, version, alias = _resolve_target(state_machine_arn)
    if express != (machine.type == StateMachineType.EXPRESS) and express:
        raise StateMachineTypeNotSupported("This operation is not supported by this type of state machine")
    name = arns.validate_name(name) if name is not None else str(uuid.uuid4())
    input_text = _parse_json_payload(input, InvalidExecutionInput, "Execution input")
    if machine.type == StateMachineType.EXPRESS:
        arn = arns.express_execution(machine.arn, name, str(uuid.uuid4()))
    else:
        arn = arns.execution(machine.arn, name)
    existing = Execution.objects.filter(arn=arn).first()
    if existing is not None:
        if existing.is_running and existing.input == input_text:
            return existing, False
        raise ExecutionAlreadyExists(f"Execution Already Exists: '{arn}'")
    source = version or machine
    try:
        with transaction.atomic():
            execution = Execution.objects.create(
                arn=arn,
                name=name,
                state_machine=machine,
                state_machine_arn=machine.arn,
                state_machine_name=machine.name,
                version_arn=version.arn if version else "",
                alias_arn=alias.arn if alias else "",
                type=machine.type,
                definition=source.definition,
                role_arn=source.role_arn,
                input=input_text,
                trace_header=trace_header,
                started_at=timezone.now(),
                owner_id=owner_id,
            )
    except IntegrityError:
        raise ExecutionAlreadyExists(f"Execution Already Exists: '{arn}'") from None
    return execution, True


def get_execution(arn: str) -> Execution:
    parsed = arns.parse(arn)
    if parsed.resource_type not in {"execution", "express"}:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    try:
        return Execution.objects.get(arn=arn)
    except Execution.DoesNotExist:
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{arn}'") from None


def _close_execution(
    execution_id: int, *, event_type: str, details: dict, status: str, error: str | None, cause: str | None
) -> Execution:
    """Append the terminal event of a running execution and close it, unless it already ended.
    The update is conditional on the last event id, so it never interleaves with a runner's
    commit: whichever commits second sees the other's change (and the runner stops)."""
    while True:
        row = Execution.objects.get(pk=execution_id)
        if row.status != ExecutionStatus.RUNNING:
            return row
        now = timezone.now()
        event_id = row.last_event_id + 1
        with transaction.atomic():
            updated = Execution.objects.filter(
                pk=row.pk, status=ExecutionStatus.RUNNING, last_event_id=row.last_event_id
            ).update(
                status=status,
                last_event_id=event_id,
                stopped_at=now,
                error=error,
                cause=cause,
                checkpoint=None,
                lease_owner="",
                lease_expires_at=None,
            )
            if not updated:
                continue
            HistoryEvent.objects.create(
                execution_id=row.pk,
                event_id=event_id,
                previous_event_id=row.last_event_id,
                type=event_type,
                timestamp=now,
                details=details,
            )
            TaskToken.objects.filter(execution_id=row.pk, status=TaskTokenStatus.PENDING).update(
                status=TaskTokenStatus.TIMED_OUT
            )
            transaction.on_commit(partial(live.publish, row.pk, event_id, status))
        return Execution.objects.get(pk=row.pk)


def stop_execution(arn: str, *, error: str | None = None, cause: str | None = None) -> Execution:
    """Abort a running execution (ExecutionAborted); a finished one is left as it is."""
    execution = get_execution(arn)
    if execution.type == StateMachineType.EXPRESS:
        raise ValidationException("Express executions cannot be stopped")
    fields = {k: v for k, v in (("error", error), ("cause", cause)) if v is not None}
    return _close_execution(
        execution.pk,
        event_type="ExecutionAborted",
        details={"executionAbortedEventDetails": fields} if fields else {},
        status=ExecutionStatus.ABORTED,
        error=error,
        cause=cause,
    )


def fail_execution(execution_id: int, error: str, cause: str) -> Execution:
    """Fail an execution the runner could not advance (a bug of ours, reported as AWS would)."""
    return _close_execution(
        execution_id,
        event_type="ExecutionFailed",
        details={"executionFailedEventDetails": {"error": error, "cause": cause}},
        status=ExecutionStatus.FAILED,
        error=error,
        cause=cause,
    )


# ---- leases -------------------------------------------------------------------------------------


def claim_execution(execution_id: int, owner: str, seconds: float) -> Execution | None:
    """Take the lease of a running execution if nobody holds a live one."""
    now = timezone.now()
    updated = (
        Execution.objects.filter(pk=execution_id, status=ExecutionStatus.RUNNING)
        .filter(Q(lease_owner="") | Q(lease_owner=owner) | Q(lease_expires_at__lt=now))
        .update(lease_owner=owner, lease_expires_at=now + timedelta(seconds=seconds))
    )
    return Execution.objects.get(pk=execution_id) if updated else None


def renew_leases(owner: str, execution_ids: list[int], seconds: float) -> list[int]:
    """Extend the leases ``owner`` still holds; returns the ids it no longer holds."""
    held = Execution.objects.filter(pk__in=execution_ids, lease_owner=owner, status=ExecutionStatus.RUNNING)
    held.update(lease_expires_at=timezone.now() + timedelta(seconds=seconds))
    kept = set(held.values_list("pk", flat=True))
    return [pk for pk in execution_ids if pk not in kept]


def orphaned_executions(owner: str, limit: int = 100) -> list[int]:
    """Running executions nobody advances: never claimed, or their owner's lease expired."""
    now = timezone.now()
    return list(
        Execution.objects.filter(status=ExecutionStatus.RUNNING, type=StateMachineType.STANDARD)
        .filter(Q(lease_owner="") | Q(lease_expires_at__lt=now))
        .order_by("started_at")
        .values_list("pk", flat=True)[:limit]
    )


def release_leases(owner: str) -> None:
    Execution.objects.filter(lease_owner=owner).update(lease_owner="", lease_expires_at=None)


def run_workflow_version(version, *, input: str | None, user, region: str = arns.DEFAULT_REGION) -> Execution:
    """Start an execution of a designer workflow version: its state machine (named after the
    workflow) is created, or updated to this version's definition, then published."""
    from designer.formats import convert

    workflow = version.workflow
    definition = version.definition if version.format == "json" else convert(version.definition, "json")
    arn = arns.state_machine(region, workflow.name)
    existing = StateMachine.objects.filter(arn=arn).first()
    if existing is not None and existing.definition == definition:
        published = publish_version(existing)
    elif existing is not None:
        _, published = update_state_machine(arn, definition=definition, publish=True)
    else:
        _, published = create_state_machine(
            region=region,
            name=workflow.name,
            definition=definition,
            role_arn=f"arn:aws:iam::{arns.account_id()}:role/symphony-local",
            type=workflow.type,
            publish=True,
            version_description=f"{workflow.name} version {version.number}",
            owner_id=user.pk,
        )
    execution, _ = start_execution(published.arn, input=input, owner_id=user.pk)
    return execution


# ---- task tokens --------------------------------------------------------------------------------


def new_task_token() -> str:
    # AWS tokens are long opaque strings; ours are random and unguessable.
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(128))


def _answer_token(token: str, status: str, **fields: Any) -> TaskToken:
    """Exactly one answer wins: the update applies only while the token is PENDING."""
    if not token or len(token) > 1024:
        raise InvalidToken("Invalid Token: the task token must be 1 to 1024 characters")
    now = timezone.now()
    updated = TaskToken.objects.filter(
        token=token, status=TaskTokenStatus.PENDING, execution__status=ExecutionStatus.RUNNING
    ).update(status=status, answered_at=now, **fields)
    row = TaskToken.objects.select_related("execution").filter(token=token).first()
    if row is None:
        raise TaskDoesNotExist("Task Does Not Exist")
    if not updated:
        if row.status == TaskTokenStatus.TIMED_OUT:
            raise TaskTimedOut("Task Timed Out")
        raise TaskDoesNotExist("Task Does Not Exist")
    return row


def send_task_success(token: str, output: str) -> TaskToken:
    output = _parse_json_payload(output, InvalidOutput, "Output")
    return _answer_token(token, TaskTokenStatus.SUCCEEDED, output=output)


def send_task_failure(token: str, error: str | None = None, cause: str | None = None) -> TaskToken:
    return _answer_token(token, TaskTokenStatus.FAILED, error=error, cause=cause)


def send_task_heartbeat(token: str) -> TaskToken:
    updated = TaskToken.objects.filter(token=token, status=TaskTokenStatus.PENDING).update(
        heartbeat_at=timezone.now()
    )
    row = TaskToken.objects.filter(token=token).first()
    if row is None or (not updated and row.status != TaskTokenStatus.TIMED_OUT):
        raise TaskDoesNotExist("Task Does Not Exist")
    if not updated:
        raise TaskTimedOut("Task Timed Out")
    return row


# ---- activities ---------------------------------------------------------------------------------


def create_activity(
    *, region: str, name: str, tags: list[dict] | None = None, owner_id: int | None = None
) -> Activity:
    arns.validate_name(name)
    activity, _ = Activity.objects.get_or_create(
        arn=arns.activity(region, name),
        defaults={"name": name, "tags": _tag_dict(tags or []), "owner_id": owner_id},
    )
    return activity


def get_activity(arn: str) -> Activity:
    parsed = arns.parse(arn)
    if parsed.resource_type != "activity":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    try:
        return Activity.objects.get(arn=arn)
    except Activity.DoesNotExist:
        raise ActivityDoesNotExist(f"Activity Does Not Exist: '{arn}'") from None


def delete_activity(arn: str) -> None:
    parsed = arns.parse(arn)
    if parsed.resource_type != "activity":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    Activity.objects.filter(arn=arn).delete()


def claim_activity_task(activity: Activity, worker_name: str = "") -> TaskToken | None:
    """Hand the oldest unclaimed task of ``activity`` to one worker (a conditional update, so
    two pollers never get the same task)."""
    for candidate in TaskToken.objects.filter(
        activity=activity, status=TaskTokenStatus.PENDING, claimed_at__isnull=True
    ).values_list("pk", flat=True)[:10]:
        if TaskToken.objects.filter(pk=candidate, claimed_at__isnull=True).update(
            claimed_at=timezone.now(), worker_name=worker_name[:80]
        ):
            return TaskToken.objects.get(pk=candidate)
    return None


# ---- tags ---------------------------------------------------------------------------------------


def _tag_dict(tags: list[dict]) -> dict[str, str]:
    if not isinstance(tags, list) or any(not isinstance(t, dict) or "key" not in t for t in tags):
        raise ValidationException("tags must be a list of {key, value} objects")
    out = {t["key"]: t.get("value", "") for t in tags}
    if len(out) > MAX_TAGS:
        raise TooManyTags(f"Too many tags: at most {MAX_TAGS} per resource")
    return out


def _taggable(arn: str) -> StateMachine | Activity:
    parsed = arns.parse(arn)
    model = {"stateMachine": StateMachine, "activity": Activity}.get(parsed.resource_type)
    found = model.objects.filter(arn=arn).first() if model is not None and len(parsed.parts) == 1 else None
    if found is None:
        raise ResourceNotFound(f"Resource not found: '{arn}'")
    return found


def tag_resource(arn: str, tags: list[dict]) -> None:
    resource = _taggable(arn)
    merged = {**resource.tags, **_tag_dict(tags)}
    if len(merged) > MAX_TAGS:
        raise TooManyTags(f"Too many tags: at most {MAX_TAGS} per resource")
    resource.tags = merged
    resource.save(update_fields=["tags"])


def untag_resource(arn: str, keys: list[str]) -> None:
    resource = _taggable(arn)
    resource.tags = {k: v for k, v in resource.tags.items() if k not in set(keys)}
    resource.save(update_fields=["tags"])


def list_tags(arn: str) -> dict[str, str]:
    return _taggable(arn).tags


# ---- local functions ---------------------------------------------------------------------------

FUNCTION_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _check_function(name: str, code: str, handler: str, timeout_seconds: int, memory_mb: int) -> None:
    if not FUNCTION_NAME_RE.match(name or ""):
        raise ValidationException("name: 1 to 64 letters, digits, '-' or '_' (as Lambda names)")
    if not all(part.isidentifier() for part in handler.split(".")):
        raise ValidationException(
            f"handler: {handler!r} is not a Python function name or Lambda's module.function"
        )
    if not 1 <= timeout_seconds <= 900:
        raise ValidationException("timeout_seconds: from 1 to 900 (Lambda's limit)")
    if not 128 <= memory_mb <= 10240:
        raise ValidationException("memory_mb: from 128 to 10240 (Lambda's limits)")
    try:
        compile(code, f"<function {name}>", "exec")
    except SyntaxError as exc:
        raise ValidationException(f"code: line {exc.lineno}: {exc.msg}") from None


def save_local_function(
    *,
    name: str,
    code: str,
    handler: str = "handler",
    timeout_seconds: int = 30,
    memory_mb: int = 256,
    function: LocalFunction | None = None,
) -> LocalFunction:
    """Create a local function, or replace one; the code must compile."""
    _check_function(name, code, handler, timeout_seconds, memory_mb)
    if function is None and LocalFunction.objects.filter(name=name).exists():
        raise ConflictException(f"Function already exist: {name}")
    function = function or LocalFunction()
    function.name, function.code, function.handler = name, code, handler
    function.timeout_seconds, function.memory_mb = timeout_seconds, memory_mb
    try:
        function.save()
    except IntegrityError:
        raise ConflictException(f"Function already exist: {name}") from None
    return function


def delete_local_function(function: LocalFunction) -> None:
    function.delete()


# ---- access keys --------------------------------------------------------------------------------


def create_access_key(user, description: str = "") -> AccessKey:
    """A new key pair; the secret is shown to its owner once, on creation."""
    key_id = "AKSY" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    secret = secrets.token_urlsafe(30)[:40]
    return AccessKey.objects.create(
        user=user, access_key_id=key_id, secret_access_key=secret, description=description[:128]
    )


def revoke_access_key(user, access_key_id: str) -> bool:
    return bool(
        AccessKey.objects.filter(user=user, access_key_id=access_key_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def touch_access_key(key: AccessKey) -> None:
    # At most once a minute: a hot key should not turn every request into a write.
    stale = timezone.now() - timedelta(minutes=1)
    AccessKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
    ).update(last_used_at=timezone.now())
