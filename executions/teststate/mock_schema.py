"""A mocked Task result checked against the API's response shape (`fieldValidationMode`).

STRICT (the default) checks the type and constraints of every field the shape knows and that
its required fields are present; PRESENT checks only the fields the mock has; NONE checks
nothing. Fields the shape does not know pass in both modes, as on AWS. The shapes are
botocore's service models (the same API models the AWS SDKs are generated from); an
optimised integration's result uses the API's member names with a capital first letter
(`ExecutionArn`, as Step Functions' own integration answers), an `aws-sdk:` one likewise.
Resources with no API shape (a Lambda function ARN, an HTTP Task, an activity) are not checked.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session
from botocore.exceptions import UnknownServiceError

from executions.engine.tasks import parse_resource
from executions.exceptions import ValidationException

# Optimised integrations whose service name differs from botocore's.
SERVICE_NAMES = {"states": "stepfunctions", "events": "events", "apigateway": "apigateway"}
NUMBERS = ("integer", "long", "double", "float")
# Constraints where AWS's TestState (recorded, ../shared/conformance/test_state) differs from
# botocore's newer model: Lambda's MemorySize is checked against 10240 there, 32768 here.
CONSTRAINTS = {"MemorySize": {"max": 10240}}


class SchemaError(Exception):
    pass


@functools.cache
def _session() -> Any:
    return botocore.session.get_session()


def output_shape(resource: str) -> Any:
    """The response shape of the API `resource` calls, or None."""
    target = parse_resource(resource)
    if target.kind != "service" or not target.action:
        return None
    service = target.service.removeprefix("aws-sdk:")
    service = SERVICE_NAMES.get(service, service)
    try:
        model = _session().get_service_model(service)
    except UnknownServiceError:
        return None
    wanted = target.action.lower()
    for name in model.operation_names:
        if name.lower() == wanted:
            return model.operation_model(name).output_shape
    return None


def check(resource: str, result: Any, mode: str) -> None:
    """Raise AWS's ValidationException when the mocked `result` does not fit the shape."""
    if mode == "NONE":
        return
    shape = output_shape(resource)
    if shape is None:
        return
    try:
        _check(shape, result, mode == "STRICT", "")
    except SchemaError as exc:
        raise ValidationException(f"Mock result schema validation error: {exc}") from None


def _field(name: str) -> str:
    return name[:1].upper() + name[1:]


def _check(shape: Any, value: Any, strict: bool, name: str) -> None:
    kind = shape.type_name
    meta = {**shape.metadata, **CONSTRAINTS.get(shape.name, {})}
    if kind == "structure":
        if not isinstance(value, dict):
            raise SchemaError(f"Field '{name}' must be an object")
        members = {_field(member): sub for member, sub in shape.members.items()}
        if strict:
            for required in shape.required_members:
                if _field(required) not in value:
                    raise SchemaError(f"Required field '{_field(required)}' is missing")
        for key, item in value.items():
            if key in members:
                _check(members[key], item, strict, key)
    elif kind == "list":
        if not isinstance(value, list):
            raise SchemaError(f"Field '{name}' must be an array")
        for item in value:
            _check(shape.member, item, strict, name)
    elif kind == "map":
        if not isinstance(value, dict):
            raise SchemaError(f"Field '{name}' must be an object")
        for item in value.values():
            _check(shape.value, item, strict, name)
    elif kind == "blob" and isinstance(value, dict | list):
        return  # a JSON payload the integration parses (Lambda's Payload)
    elif kind in ("string", "blob", "timestamp"):
        if not isinstance(value, str):
            raise SchemaError(f"Field '{name}' must be a string")
        if kind == "string" and "enum" in meta and value not in meta["enum"]:
            raise SchemaError(f"Field '{name}' is not an expected value")
        if "min" in meta and len(value) < meta["min"]:
            raise SchemaError(f"Field '{name}' is smaller than the minimum length")
        if "max" in meta and len(value) > meta["max"]:
            raise SchemaError(f"Field '{name}' is larger than the maximum length")
    elif kind in NUMBERS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SchemaError(f"Field '{name}' must be a number")
        if "min" in meta and value < meta["min"]:
            raise SchemaError(f"Field '{name}' is less than the minimum value")
        if "max" in meta and value > meta["max"]:
            raise SchemaError(f"Field '{name}' exceeds the maximum value")
    elif kind == "boolean" and not isinstance(value, bool):
        raise SchemaError(f"Field '{name}' must be a boolean")
