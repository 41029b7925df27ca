"""`arn:aws:states:::aws-sdk:<service>:<action>`: any action of any service boto3 knows.

The action is the API's operation in camelCase (`putItem` -> `PutItem`), the parameters are
the API's own, PascalCase, passed through; the answer is the API's response without the SDK's
metadata (developer guide, "Call other AWS services: AWS SDK service integrations").
Service names are the AWS SDK for Java 2.x's (`sfn`, `eventbridge`, `cloudwatchlogs`), the
few that differ from boto3's are mapped.
"""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from typing import Any

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError, UnknownServiceError

from executions.engine.tasks import TaskError
from executions.integrations.aws.clients import Endpoint, Unreachable, client_for, service_model
from executions.integrations.aws.errors import missing_member, sdk_error

# The aws-sdk names that are not boto3's.
BOTO3_NAMES = {
    "sfn": "stepfunctions",
    "eventbridge": "events",
    "cloudwatchlogs": "logs",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "databasemigration": "dms",
    "costexplorer": "ce",
    "cognitoidentityprovider": "cognito-idp",
    "cognitoidentity": "cognito-identity",
    "sagemakerruntime": "sagemaker-runtime",
    "apigatewayv2": "apigatewayv2",
    "lexruntime": "lex-runtime",
}


def operation_of(service: str, action: str) -> tuple[Any, Any]:
    """The service's and the action's botocore models, or the task's error naming what is
    unknown."""
    try:
        model = service_model(BOTO3_NAMES.get(service, service))
    except UnknownServiceError:
        raise TaskError(
            "States.Runtime", f"The service '{service}' of the resource is not an AWS service the SDK knows."
        ) from None
    operation = action[:1].upper() + action[1:]
    if operation not in model.operation_names:
        raise TaskError(
            "States.Runtime",
            f"The action '{action}' is not an action of the service '{service}' "
            f"(its API has no operation named {operation}).",
        )
    return model, model.operation_model(operation)


def prepare(
    model: Any, operation: Any, params: Any, optimised: str | None = None, as_json: bool = True
) -> dict[str, Any]:
    """The parameters as boto3 takes them: null members dropped (a required one is the
    service's validation error); a streamed blob (S3's Body) is the value's JSON text, strings
    included, as Step Functions sends it (recorded: s3_put_object-str stores "text data" with
    its quotes), other blobs given as JSON likewise; `as_json=False` sends text as it is."""
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise TaskError("States.Runtime", f"The parameters of {operation.name} must be a JSON object.")
    shape = operation.input_shape
    members = shape.members if shape is not None else {}
    for name in shape.required_members if shape is not None else []:
        if params.get(name) is None:
            raise missing_member(model, name, optimised)
    prepared = {}
    for name, value in params.items():
        if value is None:
            continue
        member = members.get(name)
        blob = as_json and member is not None and member.type_name == "blob"
        if (
            blob
            and member is not None
            and (member.serialization.get("streaming") or not isinstance(value, str))
        ):
            value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        prepared[name] = value
    return prepared


async def send(
    service: str, model: Any, operation: Any, params: dict[str, Any], account: str, region: str
) -> tuple[dict[str, Any], Endpoint]:
    """Make the call in a worker thread; the service's error is raised as `ClientError`, the
    rest (bad parameter types, an endpoint that does not answer) as the task's error."""
    try:
        client, endpoint = await asyncio.to_thread(client_for, model.service_name, account, region)
    except Unreachable as exc:
        raise TaskError("States.TaskFailed", str(exc)) from None
    method = getattr(client, xform_name(operation.name))
    try:
        response = await asyncio.to_thread(method, **params)
    except ParamValidationError as exc:
        raise TaskError(
            "States.Runtime",
            f"The parameters of {service}:{operation.name} are not valid: {exc.kwargs['report']}",
        ) from None
    except ClientError:
        raise
    except BotoCoreError as exc:
        raise TaskError(
            "States.TaskFailed",
            f"The call to {service}:{operation.name} at {endpoint.label} failed: {exc}. "
            + ("Is the emulator running?" if endpoint.url else "Check the network and the credentials."),
        ) from None
    return response, endpoint


def to_json(value: Any) -> Any:
    """boto3's response as Step Functions gives it: dates as ISO 8601, streamed bodies as
    their text, other binary data as base64."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if hasattr(value, "read"):
        return value.read().decode("utf-8", "replace")
    return value


def as_documented(model: Any, params: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB answers ConsumedCapacity only when ReturnConsumedCapacity asks for it (API
    reference, PutItem/GetItem/UpdateItem/DeleteItem); some emulators always send it."""
    if model.service_name == "dynamodb" and params.get("ReturnConsumedCapacity", "NONE") == "NONE":
        response.pop("ConsumedCapacity", None)
    return response


async def call(
    service: str, action: str, params: Any, account: str, region: str, as_json: bool = True
) -> tuple[Any, Endpoint]:
    """One aws-sdk task: its answer and where the call went."""
    model, operation = operation_of(service, action)
    prepared = prepare(model, operation, params, as_json=as_json)
    try:
        response, endpoint = await send(service, model, operation, prepared, account, region)
    except ClientError as exc:
        raise sdk_error(exc, model) from None
    return await asyncio.to_thread(to_json, as_documented(model, prepared, response)), endpoint
