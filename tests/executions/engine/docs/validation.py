"""The validator's errors, for the documentation tests that check what a definition may hold."""

import json

from designer.asl import validate


def errors(definition: dict) -> list[str]:
    """The error diagnostics of `definition` as "pointer: message" lines (empty when valid)."""
    return [f"{d.pointer}: {d.message}" for d in validate(json.dumps(definition)) if d.severity == "error"]
