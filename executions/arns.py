"""Amazon Resource Names of Step Functions resources: built and taken apart in one place.

arn:aws:states:<region>:<account>:stateMachine:<name>[:<version>|:<alias>]
arn:aws:states:<region>:<account>:execution:<state machine name>:<execution name>
arn:aws:states:<region>:<account>:express:<state machine name>:<execution name>:<uuid>
arn:aws:states:<region>:<account>:activity:<name>
"""

import re
from dataclasses import dataclass

from executions.exceptions import InvalidArn, InvalidName

DEFAULT_REGION = "us-east-1"
# AWS's names: 1-80 characters, none of whitespace, brackets, wildcards, punctuation or controls.
NAME_RE = re.compile(r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$")
ARN_RE = re.compile(
    r"^arn:(?P<partition>aws[\w-]*):states:(?P<region>[\w-]+):(?P<account>\d{12}):(?P<rest>.+)$"
)


def validate_name(name: str, what: str = "name") -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise InvalidName(f"Invalid Name: '{name}'" if what == "name" else f"Invalid {what}: '{name}'")
    return name


@dataclass(frozen=True)
class ParsedArn:
    region: str
    account: str
    resource_type: str  # stateMachine | execution | express | activity
    parts: tuple[str, ...]


def parse(arn: str) -> ParsedArn:
    match = ARN_RE.match(arn) if isinstance(arn, str) else None
    if not match:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    resource_type, *parts = match["rest"].split(":")
    if resource_type not in {"stateMachine", "execution", "express", "activity"} or not parts:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    return ParsedArn(match["region"], match["account"], resource_type, tuple(parts))


def owned(arn: str, account: str, not_found: type[Exception], message: str) -> ParsedArn:
    """Parse an ARN the caller names; another account's resource is one the caller cannot see,
    answered like a missing one (as AWS does), never with its data."""
    parsed = parse(arn)
    if parsed.account != account:
        raise not_found(message)
    return parsed


def state_machine(region: str, account: str, name: str) -> str:
    return f"arn:aws:states:{region}:{account}:stateMachine:{name}"


def execution(state_machine_arn: str, name: str) -> str:
    prefix, sm_name = state_machine_arn.split(":stateMachine:")
    return f"{prefix}:execution:{sm_name.split(':')[0]}:{name}"


def express_execution(state_machine_arn: str, name: str, uid: str) -> str:
    prefix, sm_name = state_machine_arn.split(":stateMachine:")
    return f"{prefix}:express:{sm_name.split(':')[0]}:{name}:{uid}"


def activity(region: str, account: str, name: str) -> str:
    return f"arn:aws:states:{region}:{account}:activity:{name}"


def base_state_machine(arn: str) -> str:
    """The unqualified state machine ARN of a version or alias ARN."""
    parsed = parse(arn)
    if parsed.resource_type != "stateMachine":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    return arn.rsplit(":", 1)[0] if len(parsed.parts) == 2 else arn


def qualifier(arn: str) -> str | None:
    """The version number or alias name of a qualified state machine ARN, else None."""
    parsed = parse(arn)
    return parsed.parts[1] if parsed.resource_type == "stateMachine" and len(parsed.parts) == 2 else None
