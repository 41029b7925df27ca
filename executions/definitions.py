"""Definition checks for the runner, through the one language core (``designer.asl``).

Turns the core's diagnostics into AWS's ValidateStateMachineDefinition entries and
CreateStateMachine's InvalidDefinition message form.
"""

from dataclasses import dataclass

from designer.asl.validate import validate
from executions.exceptions import InvalidDefinition

MAX_DIAGNOSTICS = 100


@dataclass(frozen=True)
class Finding:
    code: str
    location: str
    message: str
    severity: str  # ERROR | WARNING


def check(text: str, state_machine_type: str = "STANDARD") -> list[Finding]:
    """Every diagnostic of ``text``, errors first, as AWS reports them."""
    return [
        Finding(code=d.code, location=d.location, message=d.message, severity=d.severity.upper())
        for d in validate(text, type=state_machine_type)
    ]


def require_valid(text: str, state_machine_type: str = "STANDARD") -> None:
    """Raise InvalidDefinition with AWS's message form when ``text`` has an error."""
    errors = [f for f in check(text, state_machine_type) if f.severity == "ERROR"]
    if errors:
        listed = ", ".join(f"{f.code}: {f.message} at {f.location}" for f in errors)
        raise InvalidDefinition(f"Invalid State Machine Definition: '{listed}'")
