"""Which fields each state type allows in each query language: the one table.

The validator's schemas (validate/schema.py), the model builder (model/build.py) and the
editor's field lists (static/src/states/*/spec.ts) are checked against it by
tests/designer/asl/test_asl_state_fields.py, so they cannot disagree. Source: the Amazon States
Language specification and the developer guide's "State machine structure in Amazon States
Language" and "Transforming data with JSONata" (which JSONPath fields JSONata replaces).
"""

from __future__ import annotations

JSONPATH = "JSONPath"
JSONATA = "JSONata"
BOTH = frozenset({JSONPATH, JSONATA})
JSONPATH_ONLY = frozenset({JSONPATH})
JSONATA_ONLY = frozenset({JSONATA})

# Every state has these.
COMMON = {"Type": BOTH, "Comment": BOTH, "QueryLanguage": BOTH}

_TRANSITION = {"Next": BOTH, "End": BOTH}
_IO = {"InputPath": JSONPATH_ONLY, "OutputPath": JSONPATH_ONLY, "Output": JSONATA_ONLY}
_ASSIGN = {"Assign": BOTH}
_RESULT = {
    "Parameters": JSONPATH_ONLY,
    "ResultSelector": JSONPATH_ONLY,
    "ResultPath": JSONPATH_ONLY,
    "Arguments": JSONATA_ONLY,
}
_ERROR_HANDLING = {"Retry": BOTH, "Catch": BOTH}

STATE_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    "Pass": {
        **_TRANSITION,
        **_IO,
        **_ASSIGN,
        "Result": JSONPATH_ONLY,
        "Parameters": JSONPATH_ONLY,
        "ResultPath": JSONPATH_ONLY,
    },
    "Task": {
        **_TRANSITION,
        **_IO,
        **_ASSIGN,
        **_RESULT,
        **_ERROR_HANDLING,
        "Resource": BOTH,
        "TimeoutSeconds": BOTH,  # in JSONata, a number or an expression
        "TimeoutSecondsPath": JSONPATH_ONLY,
        "HeartbeatSeconds": BOTH,
        "HeartbeatSecondsPath": JSONPATH_ONLY,
        "Credentials": BOTH,
    },
    "Choice": {**_IO, **_ASSIGN, "Choices": BOTH, "Default": BOTH},
    "Wait": {
        **_TRANSITION,
        **_IO,
        **_ASSIGN,
        "Seconds": BOTH,
        "Timestamp": BOTH,
        "SecondsPath": JSONPATH_ONLY,
        "TimestampPath": JSONPATH_ONLY,
    },
    "Succeed": dict(_IO),
    "Fail": {"Error": BOTH, "Cause": BOTH, "ErrorPath": JSONPATH_ONLY, "CausePath": JSONPATH_ONLY},
    "Parallel": {**_TRANSITION, **_IO, **_ASSIGN, **_RESULT, **_ERROR_HANDLING, "Branches": BOTH},
    "Map": {
        **_TRANSITION,
        **_IO,
        **_ASSIGN,
        **_ERROR_HANDLING,
        "Parameters": JSONPATH_ONLY,  # the legacy name of ItemSelector
        "ResultSelector": JSONPATH_ONLY,
        "ResultPath": JSONPATH_ONLY,
        "ItemProcessor": BOTH,
        "Iterator": BOTH,  # the legacy name of ItemProcessor
        "ItemsPath": JSONPATH_ONLY,
        "Items": JSONATA_ONLY,
        "ItemSelector": BOTH,
        "ItemReader": BOTH,
        "ItemBatcher": BOTH,
        "ResultWriter": BOTH,
        "MaxConcurrency": BOTH,
        "MaxConcurrencyPath": JSONPATH_ONLY,
        "ToleratedFailureCount": BOTH,
        "ToleratedFailureCountPath": JSONPATH_ONLY,
        "ToleratedFailurePercentage": BOTH,
        "ToleratedFailurePercentagePath": JSONPATH_ONLY,
        "Label": BOTH,
    },
}


def allowed(state_type: str, query_language: str) -> set[str]:
    """The fields a state of `state_type` may have in `query_language` (COMMON included)."""
    fields = {**COMMON, **STATE_FIELDS[state_type]}
    return {name for name, languages in fields.items() if query_language in languages}
