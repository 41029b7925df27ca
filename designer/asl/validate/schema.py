"""The structure of a definition as JSON Schemas, checked with the `jsonschema` library.

One schema per (state type, query language), generated from the `STATE_FIELDS` table, plus schemas for
the definition's top level and for nested state machines. Each state is checked on its own (the walk in
`context.py` finds them), so schemas never recurse and every finding names its state. Choice rules are
recursive and are checked in `choice_rules.py`; cross-field rules (exclusive pairs, Next/End) live in
`fields.py` and `transitions.py`. Messages follow AWS's SCHEMA_VALIDATION_FAILED wording where it is
known ("These fields are required: [StartAt]", "The field 'Type' should have one of these values: ...").
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from designer.asl.diagnostics import SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import JSONATA, JSONPATH, Context, pointer_join

MAX_SECONDS = 99999999
STATE_TYPES = ["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"]
JSONATA_PATTERN = r"^\{%[\s\S]*%\}$"


def _expect(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {**schema, "x-expect": text}


STRING = _expect({"type": "string"}, "a string")
OBJECT = _expect({"type": "object"}, "an object")
BOOLEAN = _expect({"type": "boolean"}, "a boolean")
ANY: dict[str, Any] = {}
PATH_OR_NULL = _expect({"type": ["string", "null"]}, "a JSONPath string or null")
POSITIVE_SECONDS = _expect(
    {"type": "integer", "minimum": 1, "maximum": MAX_SECONDS}, "an integer from 1 to 99999999"
)
SECONDS = _expect({"type": "integer", "minimum": 0, "maximum": MAX_SECONDS}, "an integer from 0 to 99999999")
NON_NEGATIVE = _expect({"type": "integer", "minimum": 0}, "a non-negative integer")
PERCENTAGE = _expect({"type": "number", "minimum": 0, "maximum": 100}, "a number from 0 to 100")
JSONATA_STRING = {"type": "string", "pattern": JSONATA_PATTERN}
ERROR_EQUALS = _expect(
    {"type": "array", "minItems": 1, "items": {"type": "string"}},
    "a non-empty array of error names (strings)",
)


def _or_jsonata(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSONata field: the literal, or a `{% %}` expression."""
    expect = schema.get("x-expect", "a value")
    return {"anyOf": [schema, JSONATA_STRING], "x-expect": f"{expect} or a JSONata expression"}


# field -> (schema in JSONPath states, schema in JSONata states); None: not a field in that language.
Field = tuple[dict[str, Any] | None, dict[str, Any] | None]
BOTH_ANY: Field = (ANY, ANY)


def _both(schema: dict[str, Any]) -> Field:
    return (schema, schema)


def _jsonpath(schema: dict[str, Any]) -> Field:
    return (schema, None)


def _jsonata(schema: dict[str, Any]) -> Field:
    return (None, schema)


def _number_field(schema: dict[str, Any]) -> Field:
    return (schema, _or_jsonata(schema))


COMMON: dict[str, Field] = {
    "Type": _both(STRING),
    "Comment": _both(STRING),
    "QueryLanguage": _both(_expect({"enum": [JSONPATH, JSONATA]}, "'JSONPath' or 'JSONata'")),
}
TRANSITION = {"Next": _both(STRING), "End": _both(BOOLEAN)}
IO = {"InputPath": _jsonpath(PATH_OR_NULL), "OutputPath": _jsonpath(PATH_OR_NULL), "Output": _jsonata(ANY)}
ASSIGN = {"Assign": _both(OBJECT)}
RESULT = {
    "Parameters": _jsonpath(ANY),
    "ResultPath": _jsonpath(PATH_OR_NULL),
    "ResultSelector": _jsonpath(ANY),
    "Arguments": _jsonata(_expect({"type": ["object", "string"]}, "an object or a JSONata expression")),
}
RETRIER = _expect(
    {
        "type": "object",
        "properties": {
            "ErrorEquals": ERROR_EQUALS,
            "IntervalSeconds": POSITIVE_SECONDS,
            "MaxAttempts": _expect(
                {"type": "integer", "minimum": 0, "maximum": MAX_SECONDS}, "an integer >= 0"
            ),
            "BackoffRate": _expect({"type": "number", "minimum": 1}, "a number >= 1.0"),
            "MaxDelaySeconds": _expect(
                {"type": "integer", "minimum": 1, "maximum": 31622400}, "an integer from 1 to 31622400"
            ),
            "JitterStrategy": _expect({"enum": ["FULL", "NONE"]}, "'FULL' or 'NONE'"),
            "Comment": STRING,
        },
        "required": ["ErrorEquals"],
        "additionalProperties": False,
    },
    "a Retrier object",
)


def _catcher(query_language: str) -> dict[str, Any]:
    props: dict[str, Any] = {"ErrorEquals": ERROR_EQUALS, "Next": STRING, "Comment": STRING, "Assign": OBJECT}
    if query_language == JSONPATH:
        props["ResultPath"] = PATH_OR_NULL
    else:
        props["Output"] = ANY
    return _expect(
        {
            "type": "object",
            "properties": props,
            "required": ["ErrorEquals", "Next"],
            "additionalProperties": False,
        },
        "a Catcher object",
    )


ERROR_HANDLING: dict[str, Field] = {
    "Retry": _both(_expect({"type": "array", "items": RETRIER}, "an array of Retriers")),
    "Catch": (
        _expect({"type": "array", "items": _catcher(JSONPATH)}, "an array of Catchers"),
        _expect({"type": "array", "items": _catcher(JSONATA)}, "an array of Catchers"),
    ),
}


def _credentials(query_language: str) -> dict[str, Any]:
    props: dict[str, Any] = {"RoleArn": STRING if query_language == JSONPATH else ANY}
    if query_language == JSONPATH:
        props["RoleArn.$"] = STRING
    required = [{"required": ["RoleArn"]}] + (
        [{"required": ["RoleArn.$"]}] if query_language == JSONPATH else []
    )
    return {
        "type": "object",
        "properties": props,
        "anyOf": required,
        "additionalProperties": False,
        "x-expect": "an object with a RoleArn",
    }


def _resource_config(
    query_language: str, config_key: str, config: dict[str, Any], required: tuple[Any, ...] = ("Resource",)
) -> dict[str, Any]:
    props: dict[str, Any] = {"Resource": STRING, config_key: config}
    props.update({"Parameters": OBJECT} if query_language == JSONPATH else {"Arguments": ANY})
    return _expect(
        {"type": "object", "properties": props, "required": list(required), "additionalProperties": False},
        "an object with a Resource",
    )


def _reader_config(ql: str) -> dict[str, Any]:
    count = NON_NEGATIVE if ql == JSONPATH else _or_jsonata(NON_NEGATIVE)
    props: dict[str, Any] = {
        "InputType": _expect(
            {"enum": ["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"]}, "an item reader input type"
        ),
        "CSVHeaderLocation": _expect({"enum": ["FIRST_ROW", "GIVEN"]}, "'FIRST_ROW' or 'GIVEN'"),
        "CSVHeaders": _expect({"type": "array", "items": {"type": "string"}}, "an array of strings"),
        "CSVDelimiter": STRING,
        "MaxItems": count,
        "ManifestType": STRING,
    }
    if ql == JSONPATH:
        props["MaxItemsPath"] = STRING
    return _expect(
        {"type": "object", "properties": props, "additionalProperties": False}, "a ReaderConfig object"
    )


def _item_batcher(ql: str) -> dict[str, Any]:
    count = NON_NEGATIVE if ql == JSONPATH else _or_jsonata(NON_NEGATIVE)
    # AWS: a batch is at most 256 KiB.
    size = _expect(
        {"type": "integer", "minimum": 0, "maximum": 262144}, "an integer from 0 to 262144 (256 KiB)"
    )
    size = size if ql == JSONPATH else _or_jsonata(size)
    props: dict[str, Any] = {"MaxItemsPerBatch": count, "MaxInputBytesPerBatch": size, "BatchInput": ANY}
    if ql == JSONPATH:
        props.update({"MaxItemsPerBatchPath": STRING, "MaxInputBytesPerBatchPath": STRING})
    return _expect(
        {"type": "object", "properties": props, "additionalProperties": False}, "an ItemBatcher object"
    )


WRITER_CONFIG = _expect(
    {
        "type": "object",
        "properties": {
            "OutputType": _expect({"enum": ["JSON", "JSONL"]}, "'JSON' or 'JSONL'"),
            "Transformation": _expect(
                {"enum": ["NONE", "COMPACT", "FLATTEN"]}, "'NONE', 'COMPACT' or 'FLATTEN'"
            ),
        },
        "required": ["OutputType"],
        "additionalProperties": False,
    },
    "a WriterConfig object",
)


def _ql_pair(build: Any) -> Field:
    return (build(JSONPATH), build(JSONATA))


STATE_FIELDS: dict[str, dict[str, Field]] = {
    "Pass": {
        **TRANSITION,
        **IO,
        **ASSIGN,
        "Result": _jsonpath(ANY),
        "Parameters": _jsonpath(ANY),
        "ResultPath": _jsonpath(PATH_OR_NULL),
    },
    "Task": {
        **TRANSITION,
        **IO,
        **ASSIGN,
        **RESULT,
        **ERROR_HANDLING,
        "Resource": _both(STRING),
        "TimeoutSeconds": _number_field(POSITIVE_SECONDS),
        "TimeoutSecondsPath": _jsonpath(STRING),
        "HeartbeatSeconds": _number_field(POSITIVE_SECONDS),
        "HeartbeatSecondsPath": _jsonpath(STRING),
        "Credentials": _ql_pair(_credentials),
    },
    "Choice": {
        **IO,
        **ASSIGN,
        "Choices": _both(
            _expect({"type": "array", "minItems": 1, "items": OBJECT}, "a non-empty array of Choice Rules")
        ),
        "Default": _both(STRING),
    },
    "Wait": {
        **TRANSITION,
        **IO,
        **ASSIGN,
        "Seconds": _number_field(SECONDS),
        "Timestamp": _both(STRING),
        "SecondsPath": _jsonpath(STRING),
        "TimestampPath": _jsonpath(STRING),
    },
    "Succeed": dict(IO),
    "Fail": {
        "Error": _both(STRING),
        "Cause": _both(STRING),
        "ErrorPath": _jsonpath(STRING),
        "CausePath": _jsonpath(STRING),
    },
    "Parallel": {
        **TRANSITION,
        **IO,
        **ASSIGN,
        **RESULT,
        **ERROR_HANDLING,
        "Branches": _both(
            _expect({"type": "array", "minItems": 1, "items": OBJECT}, "a non-empty array of state machines")
        ),
    },
    "Map": {
        **TRANSITION,
        **IO,
        **ASSIGN,
        **ERROR_HANDLING,
        "Parameters": _jsonpath(ANY),
        "ResultPath": _jsonpath(PATH_OR_NULL),
        "ResultSelector": _jsonpath(ANY),
        "ItemProcessor": _both(OBJECT),
        "Iterator": _both(OBJECT),
        "ItemsPath": _jsonpath(STRING),
        "Items": _jsonata(_expect({"type": ["array", "string"]}, "an array or a JSONata expression")),
        "ItemSelector": (ANY, _expect({"type": ["object", "string"]}, "an object or a JSONata expression")),
        "ItemReader": _ql_pair(lambda ql: _resource_config(ql, "ReaderConfig", _reader_config(ql))),
        "ItemBatcher": _ql_pair(_item_batcher),
        "ResultWriter": _ql_pair(lambda ql: _resource_config(ql, "WriterConfig", WRITER_CONFIG, ())),
        "MaxConcurrency": _number_field(NON_NEGATIVE),
        "MaxConcurrencyPath": _jsonpath(STRING),
        "ToleratedFailureCount": _number_field(NON_NEGATIVE),
        "ToleratedFailureCountPath": _jsonpath(STRING),
        "ToleratedFailurePercentage": _number_field(PERCENTAGE),
        "ToleratedFailurePercentagePath": _jsonpath(STRING),
        "Label": _both(STRING),
    },
}
REQUIRED = {"Task": ["Resource"], "Choice": ["Choices"], "Parallel": ["Branches"]}


def _state_schema(state_type: str, ql: str) -> dict[str, Any]:
    fields = {**COMMON, **STATE_FIELDS[state_type]}
    index = 0 if ql == JSONPATH else 1
    props = {name: pair[index] for name, pair in fields.items() if pair[index] is not None}
    return {
        "type": "object",
        "properties": props,
        "required": REQUIRED.get(state_type, []),
        "additionalProperties": False,
    }


def _machine_schema(kind: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "StartAt": STRING,
        "States": OBJECT,
        "Comment": STRING,
    }
    if kind == "top":
        props.update(
            {
                "Version": STRING,
                "TimeoutSeconds": POSITIVE_SECONDS,
                "QueryLanguage": COMMON["QueryLanguage"][0],
            }
        )
    elif kind == "processor":
        props["ProcessorConfig"] = _expect(
            {
                "type": "object",
                "properties": {
                    "Mode": _expect({"enum": ["INLINE", "DISTRIBUTED"]}, "'INLINE' or 'DISTRIBUTED'"),
                    "ExecutionType": _expect({"enum": ["STANDARD", "EXPRESS"]}, "'STANDARD' or 'EXPRESS'"),
                },
                "additionalProperties": False,
            },
            "a ProcessorConfig object",
        )
    return {
        "type": "object",
        "properties": props,
        "required": ["States", "StartAt"],
        "additionalProperties": False,
    }


_STATE_VALIDATORS = {
    (t, ql): Draft202012Validator(_state_schema(t, ql)) for t in STATE_TYPES for ql in (JSONPATH, JSONATA)
}
_MACHINE_VALIDATORS = {k: Draft202012Validator(_machine_schema(k)) for k in ("top", "branch", "processor")}
_OTHER_LANGUAGE_FIELDS = {
    (t, ql): {name for name, pair in STATE_FIELDS[t].items() if pair[0 if ql == JSONPATH else 1] is None}
    for t in STATE_TYPES
    for ql in (JSONPATH, JSONATA)
}


def other_language_fields(state_type: str, query_language: str) -> set[str]:
    """Fields of this state type that belong only to the other query language."""
    return _OTHER_LANGUAGE_FIELDS.get((state_type, query_language), set())


def check(ctx: Context) -> None:
    """Report structural problems of the definition, of every nested state machine and every state."""
    for machine in ctx.machines:
        _report(ctx, machine.pointer, machine.body, _MACHINE_VALIDATORS[machine.kind], set())
    for state in ctx.states:
        body = state.body
        if not isinstance(body, dict):
            ctx.report(SCHEMA_VALIDATION_FAILED, state.pointer, "A state must be a JSON object")
            continue
        state_type = body.get("Type")
        if "Type" not in body:
            ctx.report(SCHEMA_VALIDATION_FAILED, state.pointer, "These fields are required: [Type]")
            continue
        if state_type not in STATE_TYPES:
            ctx.report(
                SCHEMA_VALIDATION_FAILED,
                pointer_join(state.pointer, "Type"),
                f"The field 'Type' should have one of these values: [{', '.join(STATE_TYPES)}]",
            )
            continue
        validator = _STATE_VALIDATORS[(state_type, state.query_language)]
        _report(ctx, state.pointer, body, validator, other_language_fields(state_type, state.query_language))


def _report(ctx: Context, pointer: str, value: Any, validator: Draft202012Validator, skip: set[str]) -> None:
    for error in validator.iter_errors(value):
        where = pointer_join(pointer, *error.absolute_path)
        kind = error.validator
        if kind == "anyOf" and error.absolute_path and error.absolute_path[-1] == "Credentials":
            message = "The field 'RoleArn' is required but was missing"
        elif kind == "required":
            missing = [f for f in error.validator_value if f not in error.instance]
            message = f"These fields are required: [{', '.join(missing)}]"
        elif kind == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for extra in error.instance:
                if extra in allowed or (not error.absolute_path and extra in skip):
                    continue  # other-language fields are reported by query_language.py
                ctx.report(
                    SCHEMA_VALIDATION_FAILED,
                    pointer_join(where, extra),
                    f"The field '{extra}' is not supported by Step Functions{_here(value, error)}",
                )
            continue
        else:
            field = error.absolute_path[-1] if error.absolute_path else None
            expect = error.schema.get("x-expect")
            if kind == "enum" and field is not None:
                message = (
                    f"The field '{field}' should have one of these values: {_enum(error.validator_value)}"
                )
            elif expect and field is not None:
                message = f"The value for the field '{field}' must be {expect}"
            elif kind == "type" and field is None:
                message = "Definition must be a valid JSON object" if not pointer else "Must be a JSON object"
            else:
                message = error.message
        ctx.report(SCHEMA_VALIDATION_FAILED, where, message)


def _here(value: Any, error: Any) -> str:
    if not error.absolute_path and isinstance(value, dict) and isinstance(value.get("Type"), str):
        return f" in a {value['Type']} state"
    return ""


def _enum(values: list[Any]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"
