"""The optimised integrations: `arn:aws:states:::<service>:<action>[.waitForTaskToken]`.

Request and response shapes are the developer guide's ("Integrating optimized services"):
* DynamoDB getItem, putItem, updateItem, deleteItem: the API's parameters; the answer is the
  API's response with the SDK's `SdkHttpMetadata` (the HTTP headers and status) and
  `SdkResponseMetadata` (the request id) beside it.
* SQS sendMessage (MessageBody), SNS publish (Message): a JSON value given as the body is sent
  as its JSON text; the answer is MessageId (and SQS's MD5OfMessageBody) with the metadata.
* EventBridge putEvents: each entry's JSON Detail sent as its text; the answer is
  `{"Entries", "FailedEntryCount"}`, and a failed entry fails the task with
  `EventBridge.FailedEntry`.
`.waitForTaskToken` is the same call, then the wait for the token (the caller's part).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from botocore.exceptions import ClientError

from executions.engine.tasks import TaskError
from executions.integrations.aws.clients import Endpoint
from executions.integrations.aws.errors import optimised_error
from executions.integrations.aws.sdk import as_documented, operation_of, prepare, send, to_json

ACTIONS = {
    "dynamodb": {"getItem", "putItem", "updateItem", "deleteItem"},
    "sqs": {"sendMessage"},
    "sns": {"publish"},
    "events": {"putEvents"},
}
# Header names as AWS's services spell them (botocore hands them over in lower case).
HEADER_NAMES = {"x-amzn-requestid": "x-amzn-RequestId", "x-amz-crc32": "x-amz-crc32"}


def _text(value: Any) -> Any:
    return value if isinstance(value, str) or value is None else json.dumps(value, separators=(",", ":"))


def with_detail_text(entry: Any) -> Any:
    if isinstance(entry, dict) and "Detail" in entry:
        return {**entry, "Detail": _text(entry["Detail"])}
    return entry


def _request(service: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
    params = dict(params)
    if service == "sqs" and "MessageBody" in params:
        params["MessageBody"] = _text(params["MessageBody"])
    if service == "sns" and "Message" in params:
        params["Message"] = _text(params["Message"])
    if service == "events" and isinstance(params.get("Entries"), list):
        params["Entries"] = [with_detail_text(entry) for entry in params["Entries"]]
    return params


def _header_name(name: str) -> str:
    return HEADER_NAMES.get(name) or "-".join(part.capitalize() for part in name.split("-"))


def sdk_metadata(response: dict[str, Any]) -> dict[str, Any]:
    meta = response.get("ResponseMetadata", {})
    headers = {_header_name(k): v for k, v in meta.get("HTTPHeaders", {}).items()}
    return {
        "SdkHttpMetadata": {
            "AllHttpHeaders": {k: [v] for k, v in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": meta.get("HTTPStatusCode", 200),
        },
        "SdkResponseMetadata": {"RequestId": meta.get("RequestId", "")},
    }


async def call(service: str, action: str, params: Any, account: str, region: str) -> tuple[Any, Endpoint]:
    if action not in ACTIONS.get(service, ()):
        raise TaskError(
            "States.Runtime",
            f"'{service}:{action}' is not an optimised integration; call it as "
            f"arn:aws:states:::aws-sdk:{service}:{action}.",
        )
    model, operation = operation_of(service, action)
    prepared = prepare(model, operation, _request(service, action, params or {}), optimised=service)
    try:
        response, endpoint = await send(service, model, operation, prepared, account, region)
    except ClientError as exc:
        raise optimised_error(exc, model, service) from None
    answer = await asyncio.to_thread(to_json, as_documented(model, prepared, response))
    if service == "events":
        if answer.get("FailedEntryCount"):
            failed = [entry for entry in answer.get("Entries", []) if entry.get("ErrorCode")]
            raise TaskError("EventBridge.FailedEntry", json.dumps(failed, separators=(",", ":")))
        return answer, endpoint
    return {**answer, **sdk_metadata(response)}, endpoint
