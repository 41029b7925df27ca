"""Aliases: names that route StartExecution to one or two versions by weight."""

from executions import arns
from executions.exceptions import ConflictException, ResourceNotFound, ValidationException
from executions.models import StateMachine, StateMachineAlias
from executions.services.machines import get_version


def _check_routing(routing: list[dict], account: str, machine: StateMachine | None = None) -> StateMachine:
    if not isinstance(routing, list) or not 1 <= len(routing) <= 2:
        raise ValidationException("routingConfiguration must have one or two entries")
    versions = []
    for entry in routing:
        if not isinstance(entry, dict):
            raise ValidationException("Each routingConfiguration entry is an object")
        version = get_version(entry.get("stateMachineVersionArn", ""), account)
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
    *, account: str, name: str, routing_configuration: list[dict], description: str = ""
) -> StateMachineAlias:
    arns.validate_name(name)
    if name.isdigit():
        raise ValidationException("Alias name can not be a number")
    machine = _check_routing(routing_configuration, account)
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


def get_alias(arn: str, account: str) -> StateMachineAlias:
    arns.owned(arn, account, ResourceNotFound, f"Resource not found: '{arn}'")
    try:
        return StateMachineAlias.objects.select_related("state_machine").get(arn=arn)
    except StateMachineAlias.DoesNotExist:
        raise ResourceNotFound(f"Resource not found: '{arn}'") from None


def update_state_machine_alias(
    arn: str, account: str, *, description: str | None = None, routing_configuration: list[dict] | None = None
) -> StateMachineAlias:
    alias = get_alias(arn, account)
    if description is None and routing_configuration is None:
        raise ValidationException("One of description or routingConfiguration must be provided")
    if routing_configuration is not None:
        _check_routing(routing_configuration, account, alias.state_machine)
        alias.routing_configuration = routing_configuration
    if description is not None:
        alias.description = description
    alias.save()
    return alias


def delete_state_machine_alias(arn: str, account: str) -> None:
    arns.owned(arn, account, ResourceNotFound, f"Resource not found: '{arn}'")
    StateMachineAlias.objects.filter(arn=arn).delete()
