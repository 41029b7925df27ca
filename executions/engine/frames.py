"""Where states run and what a state's stay is, as the interpreter and the state modules share
them: a `Frame` (the execution, a Parallel branch, a Map iteration), a `StateRun` (one stay of
one state in a frame) and the `Work` a state's module returns."""

from __future__ import annotations

from collections import ChainMap
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from designer.asl.model import State
from designer.asl.scope import MISSING, Scope
from executions.engine.errors import StateFailure, StatePrefix
from executions.engine.history import Chain, History

S = TypeVar("S", bound=State)


@dataclass(slots=True)
class Work:
    """What a state's work produced: a result (MISSING: the output is the effective input),
    the next state when the work chose it (Choice), and whether the machine ends here."""

    result: Any = MISSING
    next: str | None = None
    end: bool = False
    assigned: dict[str, Any] | None = None
    output: Any = MISSING  # the state's output when the work decided it (a JSONata Choice rule)


@dataclass
class Frame:
    """Where states run: the execution, a Parallel branch or a Map iteration."""

    chain: Chain
    variables: ChainMap[str, Any]
    history: History
    kind: str = "execution"  # "execution" | "branch" | "iteration"
    map_context: dict[str, Any] | None = None
    # How the frame's latest attempt ended, for a redrive: its output, or the state it
    # stopped in (failed, aborted, timed out), or the state it was about to enter.
    done: bool = False
    output: Any = None
    stopped: StateRun[State] | None = None
    next_state: tuple[str, Any] | None = None

    def child(self, chain: Chain, kind: str) -> Frame:
        return Frame(chain, self.variables.new_child(), self.history, kind)


@dataclass
class StateRun(Generic[S]):
    """One state's stay, as the state modules see it (`StateRun[Task]` in task.py)."""

    state: S
    frame: Frame
    entered_id: int
    entered_prev: int
    prefix: StatePrefix
    context: dict[str, Any]
    raw_input: Any
    retry_count: int = 0
    task_token: str | None = None
    attempt: int = 0  # the execution's redrive count when this stay (re)started its work
    error: str | None = None  # the error it failed with, if it did
    children: dict[int, Frame] | None = None  # Parallel branch frames / Map iteration frames by index

    def effect_key(self) -> str:
        """The key of this attempt's answers from the outside world (task results, ids): the
        same on every replay, different for each retry and each redrive."""
        key = f"{self.frame.history.name}:{self.entered_id}:{self.retry_count}"
        return f"{key}:redrive{self.attempt}" if self.attempt else key

    def scope(self, value: Any) -> Scope:
        return Scope(value, self.context, self.frame.variables)

    def failure(self, error: str, message: str, *, location: str | None = None) -> StateFailure:
        return self.prefix.failure(error, message, location=location)

    def failure_after_entered(self, error: str, message: str, *, location: str | None = None) -> StateFailure:
        failure = self.prefix.failure(error, message, location=location)
        failure.after_entered = True
        return failure
