"""The failure a state raises inside the engine, with AWS's error name and cause.

`StateFailure` is what Retry and Catch look at. Expression errors from `designer.asl`
(`ASLError`) become a StateFailure through `from_asl`, which adds AWS's
"An error occurred while executing the state ..." prefix where AWS puts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from designer.asl.errors import ASLError, state_cause

RUNTIME = "States.Runtime"
QUERY_EVALUATION = "States.QueryEvaluationError"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
BRANCH_FAILED = "States.BranchFailed"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
DATA_LIMIT = "States.DataLimitExceeded"
TOLERATED_FAILURE = "States.ExceedToleratedFailureThreshold"
ITEM_READER_FAILED = "States.ItemReaderFailed"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"

_LOCATION = re.compile(r"specified for the field '([^']+)'")


class StateFailure(Exception):
    """A state failed with `error`/`cause`. `evaluation` marks failures AWS records with an
    EvaluationFailed event (JSONata query errors); `location` is that event's field."""

    def __init__(
        self,
        error: str | None,
        cause: str | None,
        *,
        evaluation: bool = False,
        location: str | None = None,
        after_entered: bool = False,
    ) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause
        self.evaluation = evaluation
        self.location = location
        # EvaluationFailed points at the state's *Entered event for failures of the state's
        # own work (Wait), at the event before it for field evaluation (Arguments, Output).
        self.after_entered = after_entered
        self.on_final: Callable[[], object] | None = None


class StatePrefix:
    """AWS's prefix for errors the runtime raises inside a state."""

    def __init__(self, state_name: str, entered_id: int) -> None:
        self.text = state_cause(state_name, entered_id, "")

    def failure(self, error: str, message: str, *, location: str | None = None) -> StateFailure:
        evaluation = error == QUERY_EVALUATION
        if evaluation and location is None:
            m = _LOCATION.search(message)
            location = m.group(1) if m else None
        return StateFailure(error, self.text + message, evaluation=evaluation, location=location)


def from_asl(exc: ASLError, prefix: StatePrefix, *, location: str | None = None) -> StateFailure:
    """An ASLError from the language core as the state's failure."""
    error = exc.error or RUNTIME
    cause = exc.cause
    if cause.startswith("An error occurred while executing the state"):
        return StateFailure(error, cause, evaluation=error == QUERY_EVALUATION, location=location)
    return prefix.failure(error, cause, location=location)
