"""State machines: create, describe (a machine or one of its versions), update, delete, list,
and definition validation."""

from executions import arns, definitions
from executions.events import epoch
from executions.exceptions import StateMachineDoesNotExist, ValidationException
from executions.models import StateMachine, StateMachineVersion
from executions.services import machines
from executions.sfn_api.operations.common import Call, drop_none, paginate


def logging_configuration(machine: StateMachine) -> dict:
    return machine.logging_configuration or {"level": "OFF", "includeExecutionData": False}


def tracing_configuration(machine: StateMachine) -> dict:
    return machine.tracing_configuration or {"enabled": False}


def create_state_machine(call: Call) -> dict:
    machine, version = machines.create_state_machine(
        region=call.region,
        account=call.account,
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
    return drop_none(
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
        arns.owned(arn, call.account, StateMachineDoesNotExist, f"State Machine Does Not Exist: '{arn}'")
        if not qualifier.isdigit():
            raise ValidationException("Use DescribeStateMachineAlias to describe an alias")
        version = StateMachineVersion.objects.select_related("state_machine").filter(arn=arn).first()
        if version is None:
            raise StateMachineDoesNotExist(f"State Machine Does Not Exist: '{arn}'")
        machine = version.state_machine
        return drop_none(
            {
                "stateMachineArn": version.arn,
                "name": machine.name,
                "status": "ACTIVE",
                "definition": version.definition,
                "roleArn": version.role_arn,
                "type": machine.type,
                "creationDate": epoch(version.created_at),
                "loggingConfiguration": logging_configuration(machine),
                "tracingConfiguration": tracing_configuration(machine),
                "revisionId": version.revision_id,
                "description": version.description or None,
            }
        )
    machine = machines.get_state_machine(arn, call.account)
    return {
        "stateMachineArn": machine.arn,
        "name": machine.name,
        "status": "ACTIVE",
        "definition": machine.definition,
        "roleArn": machine.role_arn,
        "type": machine.type,
        "creationDate": epoch(machine.created_at),
        "loggingConfiguration": logging_configuration(machine),
        "tracingConfiguration": tracing_configuration(machine),
        "revisionId": machine.revision_id,
    }


def update_state_machine(call: Call) -> dict:
    machine, version = machines.update_state_machine(
        call.required("stateMachineArn"),
        call.account,
        definition=call.optional("definition"),
        role_arn=call.optional("roleArn"),
        logging_configuration=call.optional("loggingConfiguration", dict),
        tracing_configuration=call.optional("tracingConfiguration", dict),
        publish=call.optional("publish", bool, False),
        version_description=call.optional("versionDescription", str, ""),
    )
    return drop_none(
        {
            "updateDate": epoch(machine.updated_at),
            "revisionId": machine.revision_id,
            "stateMachineVersionArn": version.arn if version else None,
        }
    )


def delete_state_machine(call: Call) -> dict:
    machines.delete_state_machine(call.required("stateMachineArn"), call.account)
    return {}


def list_state_machines(call: Call) -> dict:
    rows, token = paginate(
        call, StateMachine.objects.filter(account_id=call.account).order_by("created_at", "id")
    )
    return drop_none(
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
    machine_type = call.optional("type", str, "STANDARD")
    if machine_type not in {"STANDARD", "EXPRESS"}:
        raise ValidationException(
            f"1 validation error detected: Value '{machine_type}' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [STANDARD, EXPRESS]"
        )
    findings = definitions.check(definition, machine_type)
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
