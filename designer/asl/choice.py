"""Choice rules: comparison operators, Is* tests, And/Or/Not, and JSONata `Condition`.

Semantics recorded on AWS (conformance category choice_operators): a comparison whose value
has the wrong type is simply false (BooleanEquals on 0, NumericEquals on "1", ...); booleans
are not numbers; 1 equals 1.0; timestamps must be RFC 3339 with a `T` and an offset or `Z`
and compare as instants; strings compare by UTF-16 code units as Java does. A Variable that
matches nothing is false for IsPresent and an error (PathNotFound, States.Runtime) otherwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from designer.asl.errors import QUERY_EVALUATION_ERROR, ASLError, ASLSyntaxError, PathNotFound, json_type_name
from designer.asl.jsonata import Jsonata, JsonataTemplate, compile_jsonata
from designer.asl.jsonpath import Path, compile_path
from designer.asl.payload import Payload
from designer.asl.scope import Scope

__all__ = [
    "COMPARISON_OPERATORS",
    "ChoiceRule",
    "Condition",
    "WildcardPattern",
    "compile_choice_rule",
    "compile_condition",
    "parse_timestamp",
    "string_matches",
]

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})\Z", re.IGNORECASE
)


def parse_timestamp(value: Any) -> tuple[float, int] | None:
    """An RFC 3339 timestamp as (epoch seconds, nanoseconds), or None when it is not one."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        zone = "+00:00" if offset in "Zz" else offset
        moment = datetime.fromisoformat(f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}")
    except ValueError:
        return None
    nanos = int((fraction or "0").ljust(9, "0"))
    return moment.timestamp(), nanos


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _java_compare(a: str, b: str) -> int:
    """Java's String.compareTo sign: UTF-16 code unit order."""
    if not (a.isascii() and b.isascii()):
        a_units, b_units = a.encode("utf-16-be"), b.encode("utf-16-be")
        return (a_units > b_units) - (a_units < b_units)
    return (a > b) - (a < b)


class WildcardPattern:
    """A StringMatches pattern: `*` matches any run of characters; `\\*` and `\\\\` are literal.

    Matched segment by segment with str.find (linear), never with a backtracking regex: a
    pattern like `*a*a*a*a*b` must not hang the engine on a long string.
    """

    __slots__ = ("segments",)

    def __init__(self, pattern: str) -> None:
        segments: list[str] = []
        current: list[str] = []
        i = 0
        while i < len(pattern):
            char = pattern[i]
            if char == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*\\":
                current.append(pattern[i + 1])
                i += 2
                continue
            if char == "*":
                segments.append("".join(current))
                current = []
            else:
                current.append(char)
            i += 1
        segments.append("".join(current))
        # segments[0] must start the text and segments[-1] end it; with no `*` they are one.
        self.segments = tuple(segments)

    def matches(self, text: str) -> bool:
        segments = self.segments
        if len(segments) == 1:
            return text == segments[0]
        first, last = segments[0], segments[-1]
        if not text.startswith(first) or len(text) < len(first) + len(last) or not text.endswith(last):
            return False
        position = len(first)
        limit = len(text) - len(last)
        for segment in segments[1:-1]:
            found = text.find(segment, position, limit)
            if found < 0:
                return False
            position = found + len(segment)
        return True


def string_matches(pattern: str) -> WildcardPattern:
    """Compile a StringMatches pattern."""
    return WildcardPattern(pattern)


# ---------------------------------------------------------------- comparisons


def _cmp_string(a: Any, b: Any) -> int | None:
    if isinstance(a, str) and isinstance(b, str):
        return _java_compare(a, b)
    return None


def _cmp_numeric(a: Any, b: Any) -> int | None:
    if _is_number(a) and _is_number(b):
        order: int = (a > b) - (a < b)
        return order
    return None


def _cmp_timestamp(a: Any, b: Any) -> int | None:
    left, right = parse_timestamp(a), parse_timestamp(b)
    if left is None or right is None:
        return None
    return (left > right) - (left < right)


def _cmp_boolean(a: Any, b: Any) -> int | None:
    if isinstance(a, bool) and isinstance(b, bool):
        return 0 if a == b else 1
    return None


_RELATIONS: dict[str, Callable[[int], bool]] = {
    "Equals": lambda c: c == 0,
    "LessThan": lambda c: c < 0,
    "GreaterThan": lambda c: c > 0,
    "LessThanEquals": lambda c: c <= 0,
    "GreaterThanEquals": lambda c: c >= 0,
}
_KINDS: dict[str, Callable[[Any, Any], int | None]] = {
    "String": _cmp_string,
    "Numeric": _cmp_numeric,
    "Timestamp": _cmp_timestamp,
    "Boolean": _cmp_boolean,
}
_VALUE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "String": lambda v: isinstance(v, str),
    "Numeric": _is_number,
    "Timestamp": lambda v: parse_timestamp(v) is not None,
    "Boolean": lambda v: isinstance(v, bool),
}
_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda v: v is None,
    "IsString": lambda v: isinstance(v, str),
    "IsNumeric": _is_number,
    "IsBoolean": lambda v: isinstance(v, bool),
    "IsTimestamp": lambda v: parse_timestamp(v) is not None,
}

# operator name -> (kind, relation) for every comparison operator and its *Path variant.
COMPARISON_OPERATORS: dict[str, tuple[str, str]] = {}
for _kind in _KINDS:
    for _relation in _RELATIONS:
        if _kind == "Boolean" and _relation != "Equals":
            continue
        COMPARISON_OPERATORS[f"{_kind}{_relation}"] = (_kind, _relation)
        COMPARISON_OPERATORS[f"{_kind}{_relation}Path"] = (_kind, _relation)
TYPE_TEST_OPERATORS = (*_TYPE_TESTS, "IsPresent")


# ---------------------------------------------------------------- conditions


class Condition:
    """A boolean test of a Choice rule; `evaluate(scope) -> bool`."""

    __slots__ = ()

    def evaluate(self, scope: Scope) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


class _Compare(Condition):
    __slots__ = ("compare", "operand", "operand_path", "relation", "variable")

    def __init__(self, variable: Path, kind: str, relation: str, operand: Any, operand_path: Path | None):
        self.variable = variable
        self.compare = _KINDS[kind]
        self.relation = _RELATIONS[relation]
        self.operand = operand
        self.operand_path = operand_path

    def evaluate(self, scope: Scope) -> bool:
        value = self.variable.evaluate(scope)
        operand = self.operand if self.operand_path is None else self.operand_path.evaluate(scope)
        order = self.compare(value, operand)
        return order is not None and self.relation(order)


class _StringMatches(Condition):
    __slots__ = ("pattern", "variable")

    def __init__(self, variable: Path, pattern: str) -> None:
        self.variable = variable
        self.pattern = string_matches(pattern)

    def evaluate(self, scope: Scope) -> bool:
        value = self.variable.evaluate(scope)
        return isinstance(value, str) and self.pattern.matches(value)


class _TypeTest(Condition):
    __slots__ = ("expected", "test", "variable")

    def __init__(self, variable: Path, operator: str, expected: bool) -> None:
        self.variable = variable
        self.test = _TYPE_TESTS[operator]
        self.expected = expected

    def evaluate(self, scope: Scope) -> bool:
        return self.test(self.variable.evaluate(scope)) == self.expected


class _IsPresent(Condition):
    __slots__ = ("expected", "variable")

    def __init__(self, variable: Path, expected: bool) -> None:
        self.variable = variable
        self.expected = expected

    def evaluate(self, scope: Scope) -> bool:
        try:
            value = self.variable.evaluate(scope)
        except PathNotFound:
            return not self.expected
        # An indefinite path that matches nothing is not present either.
        present = not (isinstance(value, list) and not value and not self.variable.is_definite)
        return present == self.expected


class _And(Condition):
    __slots__ = ("rules",)

    def __init__(self, rules: tuple[Condition, ...]) -> None:
        self.rules = rules

    def evaluate(self, scope: Scope) -> bool:
        return all(rule.evaluate(scope) for rule in self.rules)


class _Or(Condition):
    __slots__ = ("rules",)

    def __init__(self, rules: tuple[Condition, ...]) -> None:
        self.rules = rules

    def evaluate(self, scope: Scope) -> bool:
        return any(rule.evaluate(scope) for rule in self.rules)


class _Not(Condition):
    __slots__ = ("rule",)

    def __init__(self, rule: Condition) -> None:
        self.rule = rule

    def evaluate(self, scope: Scope) -> bool:
        return not self.rule.evaluate(scope)


class _JsonataCondition(Condition):
    __slots__ = ("expression",)

    def __init__(self, expression: Jsonata) -> None:
        self.expression = expression

    def evaluate(self, scope: Scope) -> bool:
        value = self.expression.evaluate(scope)
        if not isinstance(value, bool):
            raise ASLError(
                QUERY_EVALUATION_ERROR,
                f"The JSONata expression '{self.expression.text}' specified for the field 'Condition' "
                f"returned an unexpected result type. Expected 'boolean', but was "
                f"'{json_type_name(value)}' for value: {json.dumps(value, separators=(',', ':'))}",
            )
        return value


# ---------------------------------------------------------------- compiling


_STRUCTURAL = {"Next", "Comment", "Assign", "Output"}


def _path(text: Any, pointer: str) -> Path:
    if not isinstance(text, str):
        raise ASLSyntaxError("A path must be a string", pointer=pointer)
    try:
        return compile_path(text)
    except ASLSyntaxError as exc:
        raise ASLSyntaxError(exc.message, exc.offset, pointer) from None


def compile_condition(
    rule: Any, pointer: str = "", query_language: str = "JSONPath", depth: int = 0
) -> Condition:
    """Compile the boolean part of a Choice rule (JSONPath operators or a JSONata Condition)."""
    if depth > 100:
        raise ASLSyntaxError("Choice rules are nested too deeply", pointer=pointer)
    if not isinstance(rule, dict):
        raise ASLSyntaxError("A Choice rule must be an object", pointer=pointer)
    if query_language == "JSONata":
        if "Condition" not in rule:
            raise ASLSyntaxError("A JSONata Choice rule needs a 'Condition'", pointer=pointer)
        condition = rule["Condition"]
        if isinstance(condition, bool):
            return _JsonataCondition(compile_jsonata(str(condition).lower(), "Condition"))
        try:
            return _JsonataCondition(compile_jsonata(condition, "Condition"))
        except ASLSyntaxError as exc:
            raise ASLSyntaxError(exc.message, exc.offset, f"{pointer}/Condition") from None
    for combinator in ("And", "Or"):
        if combinator in rule:
            children = rule[combinator]
            if not isinstance(children, list) or not children:
                raise ASLSyntaxError(f"'{combinator}' must be a non-empty array of rules", pointer=pointer)
            compiled = tuple(
                compile_condition(child, f"{pointer}/{combinator}/{i}", query_language, depth + 1)
                for i, child in enumerate(children)
            )
            return _And(compiled) if combinator == "And" else _Or(compiled)
    if "Not" in rule:
        return _Not(compile_condition(rule["Not"], f"{pointer}/Not", query_language, depth + 1))
    operators = [key for key in rule if key not in _STRUCTURAL and key != "Variable"]
    if "Variable" not in rule:
        raise ASLSyntaxError("A Choice rule needs a 'Variable' (or And, Or, Not)", pointer=pointer)
    if len(operators) != 1:
        raise ASLSyntaxError(
            f"A Choice rule needs exactly one comparison operator, found {len(operators)}", pointer=pointer
        )
    variable = _path(rule["Variable"], f"{pointer}/Variable")
    operator = operators[0]
    operand = rule[operator]
    where = f"{pointer}/{operator}"
    if operator in COMPARISON_OPERATORS:
        kind, relation = COMPARISON_OPERATORS[operator]
        if operator.endswith("Path"):
            return _Compare(variable, kind, relation, None, _path(operand, where))
        if not _VALUE_CHECKS[kind](operand):
            raise ASLSyntaxError(f"The value of '{operator}' must be a {kind.lower()}", pointer=where)
        return _Compare(variable, kind, relation, operand, None)
    if operator == "StringMatches":
        if not isinstance(operand, str):
            raise ASLSyntaxError("The value of 'StringMatches' must be a string", pointer=where)
        return _StringMatches(variable, operand)
    if operator in TYPE_TEST_OPERATORS:
        if not isinstance(operand, bool):
            raise ASLSyntaxError(f"The value of '{operator}' must be true or false", pointer=where)
        if operator == "IsPresent":
            return _IsPresent(variable, operand)
        return _TypeTest(variable, operator, operand)
    raise ASLSyntaxError(f"Unknown Choice rule operator '{operator}'", pointer=where)


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    """One entry of a Choice state's Choices: a condition, where to go, what to assign."""

    condition: Condition
    next: str | None
    pointer: str
    assign: Payload | JsonataTemplate | None = None
    output: JsonataTemplate | None = None
    comment: str | None = None

    def evaluate(self, scope: Scope) -> bool:
        return self.condition.evaluate(scope)


def compile_choice_rule(rule: Any, pointer: str = "", query_language: str = "JSONPath") -> ChoiceRule:
    """Compile a top-level Choice rule (its Assign/Output are compiled by the model)."""
    condition = compile_condition(rule, pointer, query_language)
    return ChoiceRule(condition, rule.get("Next"), pointer, comment=rule.get("Comment"))
