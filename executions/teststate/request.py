"""A TestState request, read and checked as AWS checks it, before anything runs.

The messages are AWS's own, as recorded against AWS (../shared/conformance/test_state) and
listed in the API reference (https://docs.aws.amazon.com/step-functions/latest/apireference/
API_TestState.html). The checks that need the state run (a Map's iteration count) live with
the mocks (mocks.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from executions import definitions
from executions.exceptions import InvalidDefinition, ValidationException

LEVELS = ("INFO", "DEBUG", "TRACE")
VALIDATION_MODES = ("STRICT", "PRESENT", "NONE")
# The API reference's length limits (TestStateInput).
MAX_PAYLOAD = 262144
MAX_DEFINITION = 1048576
# A single state definition runs under this name, as on AWS (its $$.State.Name).
SINGLE_STATE_NAME = "StateName"
MOCKABLE = ("Task", "Map", "Parallel")
# Task resources that wait for something TestState cannot give: they need a mock.
WAITING_PATTERNS = (".sync", ".sync:2", ".waitForTaskToken")
# Context fields AWS checks the type of, and the type's name in its message.
CONTEXT_STRINGS = {
    "Execution": ("Id", "Name", "RoleArn", "StartTime"),
    "State": ("Name", "EnteredTime"),
    "StateMachine": ("Id", "Name"),
}


@dataclass
class Mock:
    result: Any = None  # the parsed mocked result (has_result says whether it was given)
    has_result: bool = False
    error: str | None = None
    cause: str | None = None
    validation_mode: str = "STRICT"


@dataclass
class TestRequest:
    machine: dict  # the machine that runs: the tested state and a Succeed per transition target
    state_name: str
    state: dict
    input_text: str
    role_arn: str
    level: str = "INFO"
    reveal_secrets: bool = False
    variables: dict = field(default_factory=dict)
    context: dict | None = None
    mock: Mock | None = None
    retrier_retry_count: int = 0
    error_caused_by_state: str | None = None
    map_iteration_failure_count: int | None = None
    map_item_reader_data: list | None = None

    @property
    def jsonata(self) -> bool:
        return (self.state.get("QueryLanguage") or self.machine.get("QueryLanguage")) == "JSONata"


def read(params: dict, default_role: str) -> TestRequest:
    """The request of TestState's parameters (the JSON body's members), or AWS's error."""
    definition = _text(params, "definition", MAX_DEFINITION, required=True)
    input_text = _text(params, "input", MAX_PAYLOAD)
    state_name = _text(params, "stateName", 80)
    level = _text(params, "inspectionLevel", 16) or "INFO"
    if level not in LEVELS:
        raise _enum_error("inspectionLevel", level, LEVELS)
    reveal = params.get("revealSecrets", False)
    if not isinstance(reveal, bool):
        raise ValidationException("Value at 'revealSecrets' failed to satisfy constraint: must be a boolean")
    machine, name, state = _machine(definition, state_name)
    input_text = "{}" if input_text is None else input_text
    _json(input_text, "input")
    request = TestRequest(
        machine=machine,
        state_name=name,
        state=state,
        input_text=input_text,
        role_arn=_text(params, "roleArn", 256) or "arn:aws:iam::000000000000:role/test-state",
        level=level,
        reveal_secrets=reveal,
        variables=_variables(params),
        mock=_mock(params.get("mock")),
    )
    _configuration(request, params.get("stateConfiguration"))
    _check_mock(request)
    request.context = _context(params, request)
    return request


def _text(params: dict, name: str, limit: int, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise ValidationException(
                f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: "
                "Member must not be null"
            )
        return None
    if not isinstance(value, str):
        raise ValidationException(f"Value at '{name}' failed to satisfy constraint: must be a string")
    if required and not value:
        raise ValidationException(
            f"1 validation error detected: Value '' at '{name}' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1"
        )
    if len(value) > limit:
        raise ValidationException(
            f"1 validation error detected: Value at '{name}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {limit}"
        )
    return value


def _enum_error(name: str, value: str, allowed: tuple[str, ...]) -> ValidationException:
    return ValidationException(
        f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{', '.join(allowed)}]"
    )


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise ValidationException(f"Invalid {name}: not a valid JSON string") from None


def _machine(definition: str, state_name: str | None) -> tuple[dict, str, dict]:
    """(the machine to run, the tested state's name, its definition)."""
    try:
        document = json.loads(definition)
    except ValueError as exc:
        raise InvalidDefinition(f"Invalid State Machine Definition: 'The state is not JSON: {exc}'") from None
    if not isinstance(document, dict):
        raise InvalidDefinition("Invalid State Machine Definition: 'A state must be a JSON object'")
    if state_name is not None:
        if not isinstance(document.get("States"), dict):
            raise ValidationException("State not found in definition")
        state = _find(document["States"], state_name)
        if state is None:
            raise ValidationException("State not found in definition")
        definitions.require_valid(definition)
        language = document.get("QueryLanguage")
        name = state_name
    elif "States" in document and "Type" not in document:
        raise ValidationException("stateName is required when the definition is a state machine")
    else:
        state, language, name = document, None, SINGLE_STATE_NAME
        while _find({"": document}, name) is not None:  # a name no nested state uses
            name += "_"
    if not isinstance(state, dict):
        raise InvalidDefinition("Invalid State Machine Definition: 'A state must be a JSON object'")
    machine: dict[str, Any] = {"StartAt": name, "States": {name: state}}
    machine["States"].update({target: {"Type": "Succeed"} for target in sorted(_targets(state, name))})
    if language is not None:
        machine["QueryLanguage"] = language
    elif "QueryLanguage" in state:
        machine["QueryLanguage"] = state["QueryLanguage"]
    definitions.require_valid(json.dumps(machine))
    return machine, name, state


def _find(states: dict, name: str) -> Any:
    """The state called `name` at the top level or inside a Parallel branch or Map processor."""
    if name in states:
        return states[name]
    for state in states.values():
        if not isinstance(state, dict):
            continue
        machines = [state.get("ItemProcessor"), state.get("Iterator"), *(state.get("Branches") or [])]
        for machine in machines:
            if isinstance(machine, dict) and isinstance(machine.get("States"), dict):
                found = _find(machine["States"], name)
                if found is not None:
                    return found
    return None


def _targets(state: dict, name: str) -> set[str]:
    targets = {state.get("Next"), state.get("Default")}
    for key in ("Choices", "Catch"):
        rules = state.get(key)
        if isinstance(rules, list):
            targets |= {rule.get("Next") for rule in rules if isinstance(rule, dict)}
    return {t for t in targets if isinstance(t, str) and t != name}


def _variables(params: dict) -> dict:
    text = _text(params, "variables", MAX_PAYLOAD)
    if text is None:
        return {}
    value = _json(text, "variables")
    if not isinstance(value, dict):
        raise ValidationException("Invalid variables: must be a JSON object")
    return value


def _mock(value: Any) -> Mock | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationException("Value at 'mock' failed to satisfy constraint: must be a structure")
    mode = value.get("fieldValidationMode") or "STRICT"
    if mode not in VALIDATION_MODES:
        raise _enum_error("mock.fieldValidationMode", str(mode), VALIDATION_MODES)
    mock = Mock(validation_mode=mode)
    if "result" in value and "errorOutput" in value:
        raise ValidationException(
            "A test mock should have only one of the following fields: [result, errorOutput]."
        )
    if "result" in value:
        if not isinstance(value["result"], str):
            raise ValidationException("Mocked result must be valid JSON")
        try:
            mock.result = json.loads(value["result"])
        except ValueError:
            raise ValidationException("Mocked result must be valid JSON") from None
        mock.has_result = True
    elif isinstance(value.get("errorOutput"), dict):
        mock.error = value["errorOutput"].get("error")
        mock.cause = value["errorOutput"].get("cause")
    else:
        raise ValidationException(
            "A test mock should have one of the following fields: [result, errorOutput]."
        )
    return mock


def _configuration(request: TestRequest, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationException(
            "Value at 'stateConfiguration' failed to satisfy constraint: must be a structure"
        )
    for name in ("retrierRetryCount", "mapIterationFailureCount"):
        count = value.get(name)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise ValidationException(
                f"1 validation error detected: Value '{count}' at 'stateConfiguration.{name}' failed to "
                "satisfy constraint: Member must have value greater than or equal to 0"
            )
    request.retrier_retry_count = value.get("retrierRetryCount") or 0
    request.error_caused_by_state = value.get("errorCausedByState")
    request.map_iteration_failure_count = value.get("mapIterationFailureCount")
    data = value.get("mapItemReaderData")
    if data is not None:
        items = _json(data, "mapItemReaderData") if isinstance(data, str) else None
        if not isinstance(items, list):
            raise ValidationException("Invalid mapItemReaderData: must be a JSON array")
        request.map_item_reader_data = items


def _check_mock(request: TestRequest) -> None:
    mock, kind = request.mock, request.state.get("Type")
    if mock is None:
        resource = request.state.get("Resource")
        if (
            kind == "Task"
            and isinstance(resource, str)
            and (resource.endswith(WAITING_PATTERNS) or ":activity:" in resource)
        ):
            raise InvalidDefinition(
                "TestState API does not support Activity tasks, '.sync' or '.waitForTaskToken' integration "
                "patterns without a mock."
            )
        if request.map_iteration_failure_count is not None:
            raise ValidationException(
                "TestState does not support MapIterationFailureCount when a mock is not specified."
            )
        if kind in ("Map", "Parallel"):
            raise InvalidDefinition(
                "TestState API does not support Map or Parallel states. Supported state types include: "
                "[Task, Wait, Pass, Succeed, Fail, Choice]"
            )
        return
    if kind not in MOCKABLE:
        raise ValidationException(f"State type '{kind}' is not supported when a mock is specified")
    if request.reveal_secrets:
        raise ValidationException("TestState does not support RevealSecrets when a mock is specified.")
    if kind == "Parallel" and mock.has_result:
        if not isinstance(mock.result, list):
            raise ValidationException("Mocked result must be an array.")
        if len(mock.result) != len(request.state.get("Branches") or []):
            raise ValidationException(
                "Mocked result must contain the same number of items as number of Parallel branches."
            )
    if kind == "Map" and mock.has_result and not isinstance(mock.result, list):
        raise ValidationException("Mocked result must be an array.")


def _context(params: dict, request: TestRequest) -> dict | None:
    text = _text(params, "context", MAX_PAYLOAD)
    if text is None:
        return None
    value = _json(text, "context")
    if not isinstance(value, dict):
        raise ValidationException("Invalid Context object provided: must be a JSON object")
    if "Map" in value and request.mock is not None:
        raise ValidationException(
            "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"
        )
    for part, names in CONTEXT_STRINGS.items():
        section = value.get(part)
        if section is None:
            continue
        if not isinstance(section, dict):
            raise ValidationException(f"Invalid Context object provided: {part} must be an object")
        for name in names:
            if name in section and not isinstance(section[name], str):
                raise ValidationException(f"Invalid Context object provided: {part}.{name} must be a string")
    retry_count = (value.get("State") or {}).get("RetryCount")
    if retry_count is not None and (isinstance(retry_count, bool) or not isinstance(retry_count, int)):
        raise ValidationException("Invalid Context object provided: State.RetryCount must be an integer")
    return value
