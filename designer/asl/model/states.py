"""The compiled model of a definition: frozen dataclasses, one per state type, built once.

Every node carries its JSON `pointer`. Expressions are compiled: JSONPath fields hold a
`Path` (`DEFAULT` when the field is absent, so the interpreter applies "$"; None when the
field is JSON null), payload templates a `Payload`, JSONata fields a `JsonataTemplate`
(error messages name the field, e.g. 'Output/a'). A field that AWS lets be either a number
or, in JSONata, a `{% %}` expression (TimeoutSeconds, Seconds, MaxConcurrency, ...) holds
the number or a JsonataTemplate; its `*Path` twin holds a Path.

Run state (inputs, counters, variables) never lives here; see executions/engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.asl.choice import ChoiceRule
from designer.asl.jsonata import JsonataTemplate
from designer.asl.jsonpath import Path
from designer.asl.payload import Payload
from designer.asl.scope import MISSING

JSONPATH = "JSONPath"
JSONATA = "JSONata"


class _Default:
    """A JSONPath field that is absent: InputPath/OutputPath/ResultPath then mean "$"."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()

# A JSONata-mode template, a JSONPath payload, or nothing.
Template = Payload | JsonataTemplate | None
# A number given literally, or a JSONata expression that yields one.
NumberOrExpression = int | float | JsonataTemplate | None


@dataclass(frozen=True, slots=True)
class Retrier:
    error_equals: tuple[str, ...]
    interval_seconds: int = 1
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: int | None = None
    jitter_strategy: str = "NONE"
    comment: str | None = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Catcher:
    error_equals: tuple[str, ...]
    next: str
    result_path: Path | Any | None = DEFAULT
    output: JsonataTemplate | None = None
    assign: Template = None
    comment: str | None = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class StateBase:
    """What every state has. JSONPath-only and JSONata-only fields are None when not used."""

    name: str
    type: str
    pointer: str
    query_language: str
    comment: str | None = None
    next: str | None = None
    end: bool = False
    assign: Template = None
    # JSONPath
    input_path: Path | Any | None = DEFAULT
    output_path: Path | Any | None = DEFAULT
    # JSONata
    output: JsonataTemplate | None = None

    @property
    def is_jsonata(self) -> bool:
        return self.query_language == JSONATA


@dataclass(frozen=True, slots=True)
class Pass(StateBase):
    result: Any = MISSING
    parameters: Payload | None = None
    result_path: Path | Any | None = DEFAULT


@dataclass(frozen=True, slots=True)
class Task(StateBase):
    resource: str = ""
    parameters: Payload | None = None
    arguments: JsonataTemplate | None = None
    result_selector: Payload | None = None
    result_path: Path | Any | None = DEFAULT
    timeout_seconds: NumberOrExpression = None
    timeout_seconds_path: Path | None = None
    heartbeat_seconds: NumberOrExpression = None
    heartbeat_seconds_path: Path | None = None
    credentials: Template | dict[str, Any] = None
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice(StateBase):
    choices: tuple[ChoiceRule, ...] = ()
    default: str | None = None


@dataclass(frozen=True, slots=True)
class Wait(StateBase):
    seconds: NumberOrExpression = None
    timestamp: str | JsonataTemplate | None = None
    seconds_path: Path | None = None
    timestamp_path: Path | None = None


@dataclass(frozen=True, slots=True)
class Succeed(StateBase):
    pass


@dataclass(frozen=True, slots=True)
class Fail(StateBase):
    error: str | JsonataTemplate | None = None
    cause: str | JsonataTemplate | None = None
    error_path: Path | Any | None = None
    cause_path: Path | Any | None = None


@dataclass(frozen=True, slots=True)
class StateMachine:
    """A definition, a Parallel branch or a Map processor: StartAt and its States."""

    start_at: str
    states: dict[str, State]
    query_language: str = JSONPATH
    timeout_seconds: int | None = None
    comment: str | None = None
    version: str | None = None
    pointer: str = ""
    # Map's ItemProcessor.ProcessorConfig (Mode, ExecutionType); empty elsewhere.
    processor_config: dict[str, Any] = field(default_factory=dict)

    def calls_resources(self) -> bool:
        """Whether a state anywhere in it (its Parallel branches and Map processors too) calls a
        resource: a Task, or a distributed Map's ItemReader or ResultWriter."""
        for state in self.states.values():
            if isinstance(state, Task):
                return True
            if isinstance(state, Parallel) and any(branch.calls_resources() for branch in state.branches):
                return True
            if isinstance(state, Map) and (
                state.item_reader is not None
                or state.result_writer is not None
                or (state.item_processor is not None and state.item_processor.calls_resources())
            ):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Parallel(StateBase):
    branches: tuple[StateMachine, ...] = ()
    parameters: Payload | None = None
    arguments: JsonataTemplate | None = None
    result_selector: Payload | None = None
    result_path: Path | Any | None = DEFAULT
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemReader:
    resource: str
    reader_config: dict[str, Any]
    parameters: Template = None
    pointer: str = ""
    # ReaderConfig.MaxItems / MaxItemsPath compiled (JSONata MaxItems may be an expression).
    max_items: NumberOrExpression = None
    max_items_path: Path | None = None


@dataclass(frozen=True, slots=True)
class ItemBatcher:
    max_items_per_batch: NumberOrExpression = None
    max_items_per_batch_path: Path | None = None
    max_input_bytes_per_batch: NumberOrExpression = None
    max_input_bytes_per_batch_path: Path | None = None
    batch_input: Template = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class ResultWriter:
    resource: str | None
    parameters: Template = None
    writer_config: dict[str, Any] = field(default_factory=dict)
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Map(StateBase):
    item_processor: StateMachine | None = None
    processor_mode: str = "INLINE"
    execution_type: str | None = None
    items_path: Path | Any | None = DEFAULT
    items: JsonataTemplate | None = None
    item_selector: Template = None
    item_batcher: ItemBatcher | None = None
    item_reader: ItemReader | None = None
    result_writer: ResultWriter | None = None
    result_selector: Payload | None = None
    result_path: Path | Any | None = DEFAULT
    max_concurrency: NumberOrExpression = 0
    max_concurrency_path: Path | None = None
    label: str | None = None
    tolerated_failure_count: NumberOrExpression = None
    tolerated_failure_count_path: Path | None = None
    tolerated_failure_percentage: NumberOrExpression = None
    tolerated_failure_percentage_path: Path | None = None
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


# A state of a definition: one of the eight types.
State = Pass | Task | Choice | Wait | Succeed | Fail | Parallel | Map
