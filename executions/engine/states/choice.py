"""Choice: the first rule that holds names the next state (and may Assign, and in JSONata give
the state's Output); else Default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from designer.asl.errors import ASLError
from designer.asl.model import Choice
from designer.asl.scope import MISSING
from executions.engine.errors import NO_CHOICE_MATCHED, from_asl
from executions.engine.frames import StateRun, Work

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Choice], effective: Any) -> Work:
    state = run.state
    scope = run.scope(effective)
    try:
        for rule in state.choices:
            if rule.evaluate(scope):
                assigned = None
                if rule.assign is not None:
                    assigned = rule.assign.evaluate(scope)
                # A JSONata rule's own Output replaces the state's (recorded on AWS:
                # conformance output/test_output_in_choice).
                output = MISSING if rule.output is None else rule.output.evaluate(scope)
                return Work(next=rule.next, assigned=assigned, output=output)
    except ASLError as exc:
        raise from_asl(exc, run.prefix) from None
    if state.default is not None:
        return Work(next=state.default)
    raise run.failure(NO_CHOICE_MATCHED, "No Matches!")
