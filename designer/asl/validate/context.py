"""What every rule reads and writes: the definition, its state machines and states, the findings.

`Context.build` walks the definition once (iteratively: Parallel branches and Map processors nest
without limit) and lists every state machine (`Machine`: the top level, each branch, each item
processor) and every state (`State`) with its JSON pointer and effective query language. Rules
iterate these lists instead of walking the JSON themselves, and call `Context.report`, which adds
the state name and the line/column from the parsed document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from designer.asl.diagnostics import Diagnostic, Severity
from designer.asl.document import Document, escape_token

JSONPATH = "JSONPath"
JSONATA = "JSONata"


@dataclass(slots=True)
class Machine:
    """A set of states with a StartAt: the definition itself, a Parallel branch or a Map processor."""

    pointer: str  # "" for the definition; "/States/P/Branches/0", "/States/M/ItemProcessor"
    body: dict[str, Any]
    owner: State | None  # the Parallel/Map state holding it
    query_language: str  # inherited by its states unless they set their own
    kind: str = "top"  # "top", "branch" (of a Parallel) or "processor" (of a Map)
    states: list[State] = field(default_factory=list)
    state_names: dict[str, State] = field(default_factory=dict)


@dataclass(slots=True)
class State:
    name: str
    pointer: str
    body: Any  # a dict when well-formed; rules other than the schema skip non-dicts
    machine: Machine
    query_language: str  # effective: its own QueryLanguage, else its machine's

    @property
    def type(self) -> str | None:
        """The state's Type when it is a string (rules compare it with names and look it up in tables)."""
        kind = self.body.get("Type") if isinstance(self.body, dict) else None
        return kind if isinstance(kind, str) else None

    @property
    def jsonata(self) -> bool:
        return self.query_language == JSONATA


@dataclass
class Context:
    definition: Any
    document: Document | None
    machine_type: str = "STANDARD"
    machines: list[Machine] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _state_at: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, definition: Any, document: Document | None, machine_type: str) -> Context:
        ctx = cls(definition, document, machine_type)
        if not isinstance(definition, dict):
            return ctx
        top_ql = definition.get("QueryLanguage")
        todo = [Machine("", definition, None, top_ql if top_ql in (JSONPATH, JSONATA) else JSONPATH)]
        while todo:
            machine = todo.pop()
            ctx.machines.append(machine)
            states = machine.body.get("States")
            if not isinstance(states, dict):
                continue
            for name, body in states.items():
                pointer = f"{machine.pointer}/States/{escape_token(name)}"
                own_ql = body.get("QueryLanguage") if isinstance(body, dict) else None
                ql = own_ql if own_ql in (JSONPATH, JSONATA) else machine.query_language
                state = State(name, pointer, body, machine, ql)
                machine.states.append(state)
                machine.state_names[name] = state
                ctx.states.append(state)
                ctx._state_at[pointer] = name
                todo.extend(reversed(list(_children(state))))
        return ctx

    def report(self, code: str, pointer: str, message: str, severity: Severity = "error") -> None:
        line = column = None
        if self.document is not None:
            where = self.document.locate(pointer)
            if where is not None:
                line, column = where
        self.diagnostics.append(
            Diagnostic(code, severity, pointer, self.state_of(pointer), line, column, message)
        )

    def state_of(self, pointer: str) -> str | None:
        """The innermost state whose pointer is a prefix of `pointer`."""
        while pointer:
            name = self._state_at.get(pointer)
            if name is not None:
                return name
            pointer = pointer.rpartition("/")[0]
        return None


def _children(state: State) -> Iterator[Machine]:
    body = state.body
    if not isinstance(body, dict):
        return
    if body.get("Type") == "Parallel" and isinstance(body.get("Branches"), list):
        for i, branch in enumerate(body["Branches"]):
            if isinstance(branch, dict):
                yield Machine(f"{state.pointer}/Branches/{i}", branch, state, state.query_language, "branch")
    elif body.get("Type") == "Map":
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(body.get(key), dict):
                yield Machine(f"{state.pointer}/{key}", body[key], state, state.query_language, "processor")


def pointer_join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join(f"/{escape_token(str(t))}" for t in tokens)
