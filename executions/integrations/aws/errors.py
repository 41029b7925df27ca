"""AWS's names for what a service answered, as Step Functions reports them.

* `aws-sdk:*` tasks (the AWS SDK for Java 2.x): `<Service>.<Exception>` with the service's SDK
  name (`DynamoDb`, `S3`, `SecretsManager`) and the modelled exception's name ending in
  `Exception` (`S3.NoSuchBucketException`), or `<Service>.<Service>Exception` for an error the
  service does not model; cause `<message> (Service: S3, Status Code: 404, Request ID: ...)`.
  (developer guide, "Call other AWS services: AWS SDK service integrations", errors.)
* Optimised integrations (the AWS SDK for Java 1.x): `DynamoDB.ConditionalCheckFailedException`,
  `DynamoDB.AmazonDynamoDBException` for an unmodelled one; cause `<message> (Service:
  AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: ...;
  Proxy: null)`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from botocore.exceptions import ClientError

from executions.engine.tasks import TaskError

# Optimised integrations: the error prefix and the Java 1.x client's service name.
V1_NAMES = {
    "dynamodb": ("DynamoDB", "AmazonDynamoDBv2"),
    "sqs": ("SQS", "AmazonSQS"),
    "sns": ("SNS", "AmazonSNS"),
    "events": ("EventBridge", "AmazonEventBridge"),
}


def sdk_service_name(service_id: str) -> str:
    """The AWS SDK for Java 2.x's name of a service: each word of its service id capitalised,
    acronyms as words (`DynamoDB` -> `DynamoDb`, `Secrets Manager` -> `SecretsManager`)."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", service_id)
    return "".join(word[0].upper() + word[1:].lower() for word in words)


def _modelled(model: Any, exc: ClientError) -> str | None:
    # awsQuery-compatible services (SQS) name the modelled error in QueryErrorCode.
    error = exc.response.get("Error", {})
    codes = {error.get("Code"), error.get("QueryErrorCode")} - {None}
    for shape in model.error_shapes:
        if codes & {shape.name, shape.error_code}:
            name = str(shape.name)
            return name if name.endswith("Exception") else name + "Exception"
    return None


def _details(exc: ClientError) -> tuple[str, str, int, dict[str, Any]]:
    error = exc.response.get("Error", {})
    meta = exc.response.get("ResponseMetadata", {})
    return error.get("Code", "Unknown"), error.get("Message", ""), meta.get("HTTPStatusCode", 0), meta


def sdk_error(exc: ClientError, model: Any) -> TaskError:
    _, message, status, meta = _details(exc)
    service = sdk_service_name(model.service_id)
    name = _modelled(model, exc) or f"{service}Exception"
    cause = f"{message} (Service: {service}, Status Code: {status}, Request ID: {meta.get('RequestId', '')}"
    if meta.get("HostId"):
        cause += f", Extended Request ID: {meta['HostId']}"
    return TaskError(f"{service}.{name}", cause + ")")


def optimised_error(exc: ClientError, model: Any, service: str) -> TaskError:
    code, message, status, meta = _details(exc)
    prefix, client = V1_NAMES[service]
    name = _modelled(model, exc) or f"{client.removesuffix('v2')}Exception"
    cause = (
        f"{message} (Service: {client}; Status Code: {status}; Error Code: {code}; "
        f"Request ID: {meta.get('RequestId', '')}; Proxy: null)"
    )
    return TaskError(f"{prefix}.{name}", cause)


def missing_member(model: Any, member: str, optimised_service: str | None) -> TaskError:
    """A required parameter absent or null: the service's own validation answer (the AWS JSON
    services' wording), which the service gives before doing anything."""
    message = (
        f"1 validation error detected: Value null at '{member[:1].lower() + member[1:]}' failed to "
        "satisfy constraint: Member must not be null"
    )
    request_id = str(uuid.uuid4()).upper().replace("-", "")
    exc = ClientError(
        {
            "Error": {"Code": "ValidationException", "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": request_id},
        },
        "validate",
    )
    if optimised_service is not None:
        return optimised_error(exc, model, optimised_service)
    return sdk_error(exc, model)
