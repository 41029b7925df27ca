"""Build the compiled model from a definition (a dict), compiling every expression once.

Raises ASLSyntaxError (with the JSON pointer) on a bad expression or a malformed field the
model needs. This is not the validator (designer/asl/validate): it trusts the shape enough
to build, and reports only what stops it from building. Fields of the other query language
(e.g. InputPath in a JSONata state) are ignored here; the validator reports them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from designer.asl.choice import ChoiceRule, compile_condition
from designer.asl.errors import ASLSyntaxError
from designer.asl.intrinsics import compile_intrinsic, is_intrinsic
from designer.asl.jsonata import JsonataTemplate, compile_jsonata_template, is_jsonata
from designer.asl.jsonpath import compile_path
from designer.asl.model.states import (
    DEFAULT,
    JSONATA,
    JSONPATH,
    Catcher,
    Choice,
    Fail,
    ItemBatcher,
    ItemReader,
    Map,
    Parallel,
    Pass,
    ResultWriter,
    Retrier,
    State,
    StateMachine,
    Succeed,
    Task,
    Template,
    Wait,
)
from designer.asl.payload import Payload, compile_payload
from designer.asl.scope import MISSING

_MAX_NESTING = 100


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Fields:
    """Reads one JSON object's fields, compiling them with the right pointer."""

    __slots__ = ("body", "jsonata", "pointer")

    def __init__(self, body: Any, pointer: str, query_language: str) -> None:
        if not isinstance(body, dict):
            raise ASLSyntaxError("Expected a JSON object", pointer=pointer)
        self.body = body
        self.pointer = pointer
        self.jsonata = query_language == JSONATA

    def at(self, key: str) -> str:
        return f"{self.pointer}/{_escape(key)}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.body.get(key, default)

    def string(self, key: str) -> str | None:
        value = self.body.get(key)
        if value is not None and not isinstance(value, str):
            raise ASLSyntaxError(f"'{key}' must be a string", pointer=self.at(key))
        return value

    def path(self, key: str, *, default: Any = None) -> Any:
        """A JSONPath field: absent -> `default`, JSON null -> None, else a compiled Path."""
        if key not in self.body:
            return default
        value = self.body[key]
        if value is None:
            return None
        if not isinstance(value, str):
            raise ASLSyntaxError(f"'{key}' must be a JSONPath string", pointer=self.at(key))
        try:
            return compile_path(value)
        except ASLSyntaxError as exc:
            raise ASLSyntaxError(exc.message, exc.offset, self.at(key)) from None

    def path_or_intrinsic(self, key: str) -> Any:
        value = self.body.get(key)
        if isinstance(value, str) and is_intrinsic(value):
            try:
                return compile_intrinsic(value)
            except ASLSyntaxError as exc:
                raise ASLSyntaxError(exc.message, exc.offset, self.at(key)) from None
        return self.path(key)

    def template(self, key: str, field: str | None = None) -> Template:
        """A payload (JSONPath) or a JSONata template, by the query language."""
        if key not in self.body:
            return None
        value = self.body[key]
        if self.jsonata:
            return compile_jsonata_template(value, field or key, self.at(key))
        return compile_payload(value, self.at(key))

    def payload(self, key: str) -> Payload | None:
        """A JSONPath payload template (Parameters, ResultSelector)."""
        return compile_payload(self.body[key], self.at(key)) if key in self.body else None

    def jsonata_template(self, key: str, field: str | None = None) -> JsonataTemplate | None:
        if key not in self.body:
            return None
        return compile_jsonata_template(self.body[key], field or key, self.at(key))

    def number(self, key: str) -> Any:
        """A number, or in JSONata a `{% %}` expression yielding one."""
        if key not in self.body:
            return None
        value = self.body[key]
        if self.jsonata and is_jsonata(value):
            return compile_jsonata_template(value, key, self.at(key))
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ASLSyntaxError(f"'{key}' must be a number", pointer=self.at(key))
        return value

    def string_or_expression(self, key: str) -> Any:
        value = self.body.get(key)
        if value is not None and self.jsonata and is_jsonata(value):
            return compile_jsonata_template(value, key, self.at(key))
        return self.string(key)


def _query_language(body: dict[str, Any], inherited: str, pointer: str) -> str:
    language = body.get("QueryLanguage", inherited)
    if not isinstance(language, str) or language not in (JSONPATH, JSONATA):
        raise ASLSyntaxError(
            "'QueryLanguage' must be 'JSONPath' or 'JSONata'", pointer=f"{pointer}/QueryLanguage"
        )
    return language


def _retriers(f: _Fields) -> tuple[Retrier, ...]:
    retry = f.get("Retry")
    if retry is None:
        return ()
    if not isinstance(retry, list):
        raise ASLSyntaxError("'Retry' must be an array", pointer=f.at("Retry"))
    out = []
    for i, item in enumerate(retry):
        r = _Fields(item, f"{f.at('Retry')}/{i}", JSONPATH)
        out.append(
            Retrier(
                error_equals=_error_equals(r),
                interval_seconds=r.get("IntervalSeconds", 1),
                max_attempts=r.get("MaxAttempts", 3),
                backoff_rate=r.get("BackoffRate", 2.0),
                max_delay_seconds=r.get("MaxDelaySeconds"),
                jitter_strategy=r.get("JitterStrategy", "NONE"),
                comment=r.string("Comment"),
                pointer=r.pointer,
            )
        )
    return tuple(out)


def _error_equals(f: _Fields) -> tuple[str, ...]:
    errors = f.get("ErrorEquals")
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        raise ASLSyntaxError("'ErrorEquals' must be an array of error names", pointer=f.at("ErrorEquals"))
    return tuple(errors)


def _catchers(f: _Fields, query_language: str) -> tuple[Catcher, ...]:
    catch = f.get("Catch")
    if catch is None:
        return ()
    if not isinstance(catch, list):
        raise ASLSyntaxError("'Catch' must be an array", pointer=f.at("Catch"))
    out = []
    for i, item in enumerate(catch):
        c = _Fields(item, f"{f.at('Catch')}/{i}", query_language)
        out.append(
            Catcher(
                error_equals=_error_equals(c),
                next=c.string("Next") or "",
                result_path=DEFAULT if c.jsonata else c.path("ResultPath", default=DEFAULT),
                output=c.jsonata_template("Output") if c.jsonata else None,
                assign=c.template("Assign"),
                comment=c.string("Comment"),
                pointer=c.pointer,
            )
        )
    return tuple(out)


def _common(f: _Fields, name: str, kind: str, query_language: str) -> dict[str, Any]:
    common: dict[str, Any] = {
        "name": name,
        "type": kind,
        "pointer": f.pointer,
        "query_language": query_language,
        "comment": f.string("Comment"),
        "next": f.string("Next"),
        "end": f.get("End") is True,
        "assign": f.template("Assign"),
    }
    if f.jsonata:
        common["output"] = f.jsonata_template("Output")
    else:
        common["input_path"] = f.path("InputPath", default=DEFAULT)
        common["output_path"] = f.path("OutputPath", default=DEFAULT)
    return common


def _data_fields(f: _Fields) -> dict[str, Any]:
    """Parameters/Arguments, ResultSelector and ResultPath of Task, Parallel and Map."""
    if f.jsonata:
        return {"arguments": f.jsonata_template("Arguments")}
    return {
        "parameters": f.payload("Parameters"),
        "result_selector": f.payload("ResultSelector"),
        "result_path": f.path("ResultPath", default=DEFAULT),
    }


def _pass(f: _Fields, common: dict[str, Any]) -> Pass:
    if f.jsonata:
        return Pass(**common)
    return Pass(
        **common,
        result=f.get("Result", MISSING),
        parameters=f.payload("Parameters"),
        result_path=f.path("ResultPath", default=DEFAULT),
    )


def _task(f: _Fields, common: dict[str, Any]) -> Task:
    resource = f.get("Resource")
    if not isinstance(resource, str):
        raise ASLSyntaxError("'Resource' must be a string", pointer=f.at("Resource"))
    return Task(
        **common,
        **_data_fields(f),
        resource=resource,
        timeout_seconds=f.number("TimeoutSeconds"),
        timeout_seconds_path=None if f.jsonata else f.path("TimeoutSecondsPath"),
        heartbeat_seconds=f.number("HeartbeatSeconds"),
        heartbeat_seconds_path=None if f.jsonata else f.path("HeartbeatSecondsPath"),
        credentials=f.template("Credentials"),
        retry=_retriers(f),
        catch=_catchers(f, common["query_language"]),
    )


def _choice(f: _Fields, common: dict[str, Any]) -> Choice:
    choices = f.get("Choices")
    if not isinstance(choices, list):
        raise ASLSyntaxError("'Choices' must be an array of rules", pointer=f.at("Choices"))
    rules = []
    for i, rule in enumerate(choices):
        r = _Fields(rule, f"{f.at('Choices')}/{i}", common["query_language"])
        rules.append(
            ChoiceRule(
                condition=compile_condition(rule, r.pointer, common["query_language"]),
                next=r.string("Next"),
                pointer=r.pointer,
                assign=r.template("Assign"),
                output=r.jsonata_template("Output") if r.jsonata else None,
                comment=r.string("Comment"),
            )
        )
    return Choice(**common, choices=tuple(rules), default=f.string("Default"))


def _wait(f: _Fields, common: dict[str, Any]) -> Wait:
    return Wait(
        **common,
        seconds=f.number("Seconds"),
        timestamp=f.string_or_expression("Timestamp"),
        seconds_path=None if f.jsonata else f.path("SecondsPath"),
        timestamp_path=None if f.jsonata else f.path("TimestampPath"),
    )


def _fail(f: _Fields, common: dict[str, Any]) -> Fail:
    return Fail(
        **common,
        error=f.string_or_expression("Error"),
        cause=f.string_or_expression("Cause"),
        error_path=None if f.jsonata else f.path_or_intrinsic("ErrorPath"),
        cause_path=None if f.jsonata else f.path_or_intrinsic("CausePath"),
    )


def _parallel(f: _Fields, common: dict[str, Any], root_language: str, depth: int) -> Parallel:
    branches = f.get("Branches")
    if not isinstance(branches, list):
        raise ASLSyntaxError("'Branches' must be an array of state machines", pointer=f.at("Branches"))
    return Parallel(
        **common,
        **_data_fields(f),
        branches=tuple(
            _machine(branch, f"{f.at('Branches')}/{i}", root_language, depth + 1)
            for i, branch in enumerate(branches)
        ),
        retry=_retriers(f),
        catch=_catchers(f, common["query_language"]),
    )


def _map(f: _Fields, common: dict[str, Any], root_language: str, depth: int) -> Map:
    key = "ItemProcessor" if "ItemProcessor" in f.body else "Iterator"
    if key not in f.body:
        raise ASLSyntaxError("A Map state needs an 'ItemProcessor'", pointer=f.pointer)
    processor = _machine(f.get(key), f.at(key), root_language, depth + 1)
    config = processor.processor_config
    # Map's legacy Parameters is its ItemSelector (in JSONPath: JSONata has no Parameters).
    selector_key = "ItemSelector" if "ItemSelector" in f.body or f.jsonata else "Parameters"
    return Map(
        **common,
        result_selector=None if f.jsonata else f.payload("ResultSelector"),
        result_path=DEFAULT if f.jsonata else f.path("ResultPath", default=DEFAULT),
        item_processor=processor,
        processor_mode=config.get("Mode", "INLINE"),
        execution_type=config.get("ExecutionType"),
        items_path=DEFAULT if f.jsonata else f.path("ItemsPath", default=DEFAULT),
        items=f.jsonata_template("Items") if f.jsonata else None,
        item_selector=f.template(selector_key, "ItemSelector"),
        item_batcher=_item_batcher(f),
        item_reader=_item_reader(f),
        result_writer=_result_writer(f),
        max_concurrency=f.number("MaxConcurrency") or 0,
        max_concurrency_path=None if f.jsonata else f.path("MaxConcurrencyPath"),
        label=f.string("Label"),
        tolerated_failure_count=f.number("ToleratedFailureCount"),
        tolerated_failure_count_path=None if f.jsonata else f.path("ToleratedFailureCountPath"),
        tolerated_failure_percentage=f.number("ToleratedFailurePercentage"),
        tolerated_failure_percentage_path=None if f.jsonata else f.path("ToleratedFailurePercentagePath"),
        retry=_retriers(f),
        catch=_catchers(f, common["query_language"]),
    )


def _item_reader(f: _Fields) -> ItemReader | None:
    if "ItemReader" not in f.body:
        return None
    r = _Fields(f.get("ItemReader"), f.at("ItemReader"), JSONATA if f.jsonata else JSONPATH)
    config = r.get("ReaderConfig") or {}
    c = _Fields(config, r.at("ReaderConfig"), JSONATA if f.jsonata else JSONPATH)
    return ItemReader(
        resource=r.string("Resource") or "",
        reader_config=config,
        parameters=r.template("Arguments" if r.jsonata else "Parameters"),
        pointer=r.pointer,
        max_items=c.number("MaxItems"),
        max_items_path=None if c.jsonata else c.path("MaxItemsPath"),
    )


def _item_batcher(f: _Fields) -> ItemBatcher | None:
    if "ItemBatcher" not in f.body:
        return None
    b = _Fields(f.get("ItemBatcher"), f.at("ItemBatcher"), JSONATA if f.jsonata else JSONPATH)
    return ItemBatcher(
        max_items_per_batch=b.number("MaxItemsPerBatch"),
        max_items_per_batch_path=None if b.jsonata else b.path("MaxItemsPerBatchPath"),
        max_input_bytes_per_batch=b.number("MaxInputBytesPerBatch"),
        max_input_bytes_per_batch_path=None if b.jsonata else b.path("MaxInputBytesPerBatchPath"),
        batch_input=b.template("BatchInput"),
        pointer=b.pointer,
    )


def _result_writer(f: _Fields) -> ResultWriter | None:
    if "ResultWriter" not in f.body:
        return None
    w = _Fields(f.get("ResultWriter"), f.at("ResultWriter"), JSONATA if f.jsonata else JSONPATH)
    return ResultWriter(
        resource=w.string("Resource"),
        parameters=w.template("Arguments" if w.jsonata else "Parameters"),
        writer_config=w.get("WriterConfig") or {},
        pointer=w.pointer,
    )


def _state(name: str, body: Any, pointer: str, root_language: str, depth: int) -> State:
    if not isinstance(body, dict):
        raise ASLSyntaxError("A state must be a JSON object", pointer=pointer)
    query_language = _query_language(body, root_language, pointer)
    f = _Fields(body, pointer, query_language)
    kind = body.get("Type")
    if not isinstance(kind, str):
        raise ASLSyntaxError(f"Unknown state type {kind!r}", pointer=f"{pointer}/Type")
    common = _common(f, name, kind, query_language)
    if kind == "Pass":
        return _pass(f, common)
    if kind == "Task":
        return _task(f, common)
    if kind == "Choice":
        return _choice(f, common)
    if kind == "Wait":
        return _wait(f, common)
    if kind == "Succeed":
        return Succeed(**common)
    if kind == "Fail":
        return _fail(f, common)
    if kind == "Parallel":
        return _parallel(f, common, root_language, depth)
    if kind == "Map":
        return _map(f, common, root_language, depth)
    raise ASLSyntaxError(f"Unknown state type {kind!r}", pointer=f"{pointer}/Type")


def _machine(body: Any, pointer: str, root_language: str, depth: int) -> StateMachine:
    if depth > _MAX_NESTING:
        raise ASLSyntaxError("State machines are nested too deeply", pointer=pointer)
    if not isinstance(body, dict):
        raise ASLSyntaxError("A state machine must be a JSON object", pointer=pointer)
    query_language = _query_language(body, root_language, pointer)
    start_at = body.get("StartAt")
    if not isinstance(start_at, str):
        raise ASLSyntaxError("'StartAt' must be a state name", pointer=f"{pointer}/StartAt")
    states = body.get("States")
    if not isinstance(states, dict):
        raise ASLSyntaxError("'States' must be an object", pointer=f"{pointer}/States")
    # Nested machines inherit the definition's query language unless they set their own.
    compiled = {
        name: _state(name, state, f"{pointer}/States/{_escape(name)}", query_language, depth)
        for name, state in states.items()
    }
    config = body.get("ProcessorConfig")
    return StateMachine(
        start_at=start_at,
        states=compiled,
        query_language=query_language,
        timeout_seconds=body.get("TimeoutSeconds"),
        comment=body.get("Comment"),
        version=body.get("Version"),
        pointer=pointer,
        processor_config=config if isinstance(config, dict) else {},
    )


def build_state_machine(definition: dict[str, Any]) -> StateMachine:
    """Compile a whole definition. Raises ASLSyntaxError with the JSON pointer of the problem."""
    return _machine(definition, "", JSONPATH, 0)


@lru_cache(maxsize=32)  # a definition may be 1 MiB: the machines in use, not every one seen
def build_state_machine_from_text(text: str) -> StateMachine:
    """`build_state_machine` for definition text, cached by text (one build per definition)."""
    try:
        definition = json.loads(text)
    except ValueError as exc:
        raise ASLSyntaxError(f"The definition is not valid JSON: {exc}") from None
    return build_state_machine(definition)
