"""State machines and their published versions."""

import uuid

from django.db import transaction

from executions import arns, definitions
from executions.exceptions import (
    ConflictException,
    InvalidArn,
    ResourceNotFound,
    StateMachineAlreadyExists,
    StateMachineDoesNotExist,
    ValidationException,
)
from executions.models import StateMachine, StateMachineAlias, StateMachineType, StateMachineVersion
from executions.services.tags import tag_dict
from symphony.db.prepared import PreparedQuery


def _revision() -> str:
    return str(uuid.uuid4())


def get_state_machine(arn: str, account: str) -> StateMachine:
    parsed = arns.owned(arn, account, StateMachineDoesNotExist, f"State Machine Does Not Exist: '{arn}'")
    if parsed.resource_type != "stateMachine" or len(parsed.parts) != 1:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    found = _BY_ARN.first(arn)
    if found is None:
        raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
    return found


# Every StartExecution looks its machine up: compiled once.
_BY_ARN = PreparedQuery(lambda arn: StateMachine.objects.filter(arn=arn))


def create_state_machine(
    *,
    region: str,
    account: str,
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
    workflow_id: int | None = None,
) -> tuple[StateMachine, StateMachineVersion | None]:
    arns.validate_name(name)
    if type not in StateMachineType.values:
        raise ValidationException(f"Value '{type}' at 'type' failed to satisfy constraint")
    definitions.require_valid(definition, type)
    arn = arns.state_machine(region, account, name)
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
            tags=tag_dict(tags or []),
            owner_id=owner_id,
            account_id=account,
            workflow_id=workflow_id,
        )
        version = publish_version(machine, description=version_description) if publish else None
    return machine, version


def update_state_machine(
    arn: str,
    account: str,
    *,
    definition: str | None = None,
    role_arn: str | None = None,
    logging_configuration: dict | None = None,
    tracing_configuration: dict | None = None,
    publish: bool = False,
    version_description: str = "",
) -> tuple[StateMachine, StateMachineVersion | None]:
    machine = get_state_machine(arn, account)
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


def delete_state_machine(arn: str, account: str) -> None:
    """Deleting a missing state machine succeeds, as on AWS. Running executions keep running."""
    parsed = arns.parse(arn)
    if parsed.resource_type != "stateMachine":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    if len(parsed.parts) == 2:
        raise ValidationException(
            "Use DeleteStateMachineVersion or DeleteStateMachineAlias for qualified ARNs"
        )
    StateMachine.objects.filter(arn=arn, account_id=account).delete()


def publish_version(
    machine: StateMachine, *, description: str = "", revision_id: str | None = None
) -> StateMachineVersion:
    """Publish the current definition; publishing an unchanged revision returns its version."""
    with transaction.atomic():
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


def get_version(arn: str, account: str) -> StateMachineVersion:
    arns.owned(arn, account, ResourceNotFound, f"Resource not found: '{arn}'")
    try:
        return StateMachineVersion.objects.select_related("state_machine").get(arn=arn)
    except StateMachineVersion.DoesNotExist:
        raise ResourceNotFound(f"Resource not found: '{arn}'") from None


def delete_state_machine_version(arn: str, account: str) -> None:
    arns.owned(arn, account, ResourceNotFound, f"Resource not found: '{arn}'")
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
