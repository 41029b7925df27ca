"""What the documentation tests share beside the engine's `execute`: the validator's errors."""

import json

from designer.asl import validate


def errors(definition: dict) -> list[str]:
    """The error diagnostics of `definition` as "pointer: message" lines (empty when valid)."""
    return [f"{d.pointer}: {d.message}" for d in validate(json.dumps(definition)) if d.severity == "error"]
