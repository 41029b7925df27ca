"""What validation reports: one `Diagnostic` per finding, with its code and location.

Codes are AWS's ValidateStateMachineDefinition codes where AWS has one (the list in the API
reference for `ValidateStateMachineDefinitionDiagnostic`); the few findings AWS has no code for
use our own, listed in `OWN_CODES`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

# AWS ValidateStateMachineDefinition error codes.
INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION"
MISSING_DESCRIPTION = "MISSING_DESCRIPTION"
SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
INVALID_RESOURCE = "INVALID_RESOURCE"
MISSING_END_STATE = "MISSING_END_STATE"
DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
INVALID_STATE_NAME = "INVALID_STATE_NAME"
DUPLICATE_LABEL_NAME = "DUPLICATE_LABEL_NAME"
INVALID_LABEL_NAME = "INVALID_LABEL_NAME"
MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"
TOO_DEEPLY_NESTED = "TOO_DEEPLY_NESTED"
# AWS warning codes.
NO_DOLLAR = "NO_DOLLAR"
NO_PATH = "NO_PATH"
PASS_RESULT_IS_STATIC = "PASS_RESULT_IS_STATIC"

# Our own codes, for findings AWS has no code for.
PLACEHOLDER = "PLACEHOLDER"  # warning: a `${X}`-style template token awaiting substitution
CATCH_ALL_HIDES_ERRORS = "CATCH_ALL_HIDES_ERRORS"  # warning: a States.ALL Catcher that keeps no error
DEFINITION_TOO_LARGE = "DEFINITION_TOO_LARGE"  # error: text over AWS's 1 MiB definition limit
MAP_CONCURRENCY_LIMIT = "MAP_CONCURRENCY_LIMIT"  # warning: MaxConcurrency above what the Map mode runs
OWN_CODES = frozenset({PLACEHOLDER, CATCH_ALL_HIDES_ERRORS, DEFINITION_TOO_LARGE, MAP_CONCURRENCY_LIMIT})


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `pointer` is a JSON pointer ("" is the whole document); `state` the name of the
    innermost state it belongs to (None above the states); `line`/`column` are 1-based positions in
    the text the author wrote (None when validating a value rather than text)."""

    code: str
    severity: Severity
    pointer: str
    state: str | None
    line: int | None
    column: int | None
    message: str

    @property
    def location(self) -> str:
        """The location as AWS prints it: the pointer, "/" for the whole document."""
        return self.pointer or "/"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}" if self.line is not None else "-"
        return f"{where} {self.severity} {self.code}: {self.message} at {self.location}"
