"""The parameters of the AWS API a Task's Resource calls, from botocore's service model: what the
inspector's form for an integration shows (names, types, required, documentation).

A Resource `arn:aws:states:::<service>:<action>[.sync|.waitForTaskToken]` (an optimized
integration) or `arn:aws:states:::aws-sdk:<service>:<action>` calls the AWS API action of that
name (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): the
action is the API's operation with its first letter lowered, and the parameters are the
operation's input members, PascalCase as in the API reference. Models load once per service and
trimmed operations are cached: botocore's models are on disk, so this needs no network.
"""

import html
import re
from functools import lru_cache

import botocore.session
from botocore.exceptions import UnknownServiceError
from botocore.model import OperationNotFoundError, Shape

# Step Functions' service names that are not botocore's.
SERVICE_ALIASES = {"states": "stepfunctions", "sfn": "stepfunctions"}
RESOURCE_RE = re.compile(
    r"^arn:aws[\w-]*:states:[\w-]*:[\d]*:(?:aws-sdk:)?(?P<service>[a-z0-9-]+):(?P<action>[a-zA-Z0-9]+)"
    r"(?:\.(?:sync(?::2)?|waitForTaskToken))?$"
)
DOC_CHARS = 400
NESTED_DEPTH = 2


class UnknownIntegration(ValueError):
    """The resource names no AWS API action botocore knows: `str()` says why."""


@lru_cache(maxsize=1)
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@lru_cache(maxsize=64)
def _service_model(service: str):
    return _session().get_service_model(service)


def _text(documentation: str | None) -> str:
    """Plain text from the model's HTML documentation, cut at a sentence near DOC_CHARS."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", documentation or ""))
    plain = re.sub(r"\s+", " ", plain).strip()
    if len(plain) <= DOC_CHARS:
        return plain
    cut = plain[:DOC_CHARS]
    end = cut.rfind(". ")
    return (cut[: end + 1] if end > DOC_CHARS // 2 else cut.rstrip() + "…").strip()


def _member(name: str, shape: Shape, required: bool, depth: int) -> dict:
    out: dict = {
        "name": name,
        "type": shape.type_name,
        "required": required,
        "documentation": _text(shape.documentation),
    }
    if getattr(shape, "enum", None):  # string shapes only
        out["enum"] = list(shape.enum)
    if shape.type_name == "list":
        out["items"] = shape.member.type_name
        shape = shape.member
    if shape.type_name == "structure" and depth < NESTED_DEPTH:
        required_members = set(shape.required_members)
        out["members"] = [
            _member(child, child_shape, child in required_members, depth + 1)
            for child, child_shape in shape.members.items()
        ]
    return out


def operation_of(resource: str) -> tuple[str, str]:
    """(botocore service name, operation name) of a Task's Resource ARN."""
    match = RESOURCE_RE.match(resource or "")
    if not match:
        raise UnknownIntegration(
            f"{resource!r} is not an AWS integration ARN (arn:aws:states:::<service>:<action>)."
        )
    service = SERVICE_ALIASES.get(match["service"], match["service"])
    action = match["action"]
    return service, action[0].upper() + action[1:]


@lru_cache(maxsize=256)
def parameters(service: str, operation: str) -> dict:
    """The operation's input members (and theirs, two levels deep), trimmed for a form."""
    try:
        model = _service_model(service)
    except UnknownServiceError:
        raise UnknownIntegration(f"AWS has no service {service!r} that botocore knows.") from None
    try:
        op = model.operation_model(operation)
    except OperationNotFoundError:
        raise UnknownIntegration(f"{model.service_id} has no API action {operation!r}.") from None
    shape = op.input_shape
    required = set(shape.required_members) if shape else set()
    return {
        "service": service,
        "service_name": model.metadata.get("serviceFullName", model.service_id),
        "operation": operation,
        "documentation": _text(op.documentation),
        "parameters": [
            _member(name, member, name in required, 0)
            for name, member in (shape.members.items() if shape else [])
        ],
    }


def parameters_for(resource: str) -> dict:
    service, operation = operation_of(resource)
    return {"resource": resource, **parameters(service, operation)}
