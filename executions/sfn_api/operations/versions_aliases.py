"""Published versions of a state machine and the aliases that route between them."""

from executions.events import epoch
from executions.models import StateMachineAlias
from executions.services import aliases as alias_service
from executions.services import machines
from executions.sfn_api.operations.common import Call, drop_none, paginate


def publish_state_machine_version(call: Call) -> dict:
    version = machines.publish_version(
        machines.get_state_machine(call.required("stateMachineArn"), call.account),
        description=call.optional("description", str, ""),
        revision_id=call.optional("revisionId"),
    )
    return {"creationDate": epoch(version.created_at), "stateMachineVersionArn": version.arn}


def list_state_machine_versions(call: Call) -> dict:
    machine = machines.get_state_machine(call.required("stateMachineArn"), call.account)
    rows, token = paginate(call, machine.versions.order_by("-number"))
    return drop_none(
        {
            "stateMachineVersions": [
                {"stateMachineVersionArn": v.arn, "creationDate": epoch(v.created_at)} for v in rows
            ],
            "nextToken": token,
        }
    )


def delete_state_machine_version(call: Call) -> dict:
    machines.delete_state_machine_version(call.required("stateMachineVersionArn"), call.account)
    return {}


def create_state_machine_alias(call: Call) -> dict:
    alias = alias_service.create_state_machine_alias(
        account=call.account,
        name=call.required("name"),
        routing_configuration=call.required("routingConfiguration", list),
        description=call.optional("description", str, ""),
    )
    return {"stateMachineAliasArn": alias.arn, "creationDate": epoch(alias.created_at)}


def describe_state_machine_alias(call: Call) -> dict:
    alias = alias_service.get_alias(call.required("stateMachineAliasArn"), call.account)
    return drop_none(
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
    alias = alias_service.update_state_machine_alias(
        call.required("stateMachineAliasArn"),
        call.account,
        description=call.optional("description"),
        routing_configuration=call.optional("routingConfiguration", list),
    )
    return {"updateDate": epoch(alias.updated_at)}


def delete_state_machine_alias(call: Call) -> dict:
    alias_service.delete_state_machine_alias(call.required("stateMachineAliasArn"), call.account)
    return {}


def list_state_machine_aliases(call: Call) -> dict:
    machine = machines.get_state_machine(call.required("stateMachineArn"), call.account)
    aliases = StateMachineAlias.objects.filter(state_machine=machine).order_by("created_at")
    rows, token = paginate(call, aliases)
    return drop_none(
        {
            "stateMachineAliases": [
                {"stateMachineAliasArn": a.arn, "creationDate": epoch(a.created_at)} for a in rows
            ],
            "nextToken": token,
        }
    )
