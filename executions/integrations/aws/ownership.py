"""Each account's resources in the local AWS are its own. moto keeps DynamoDB tables, SQS queues
and secrets per account (its `x-moto-account-id`), but it serves an S3 bucket to every account
(bucket names are global, and moto checks no bucket policy) and takes an SNS topic or an
EventBridge bus by an ARN naming another account. AWS refuses both without a resource policy
granting the caller: S3 answers 403 AccessDenied, the JSON and query services an authorization
error naming the action and resource. The guard answers that way before the call leaves.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

ARN = re.compile(r"arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):")
# Services whose calls name other accounts' resources by design (a role's trust policy decides).
CROSS_ACCOUNT = {"sts"}
# How a service names its authorization error (API references: S3 "Error Responses", SNS
# "AuthorizationError"); the others use AccessDeniedException.
DENIED = {"s3": ("AccessDenied", 403), "sns": ("AuthorizationError", 403)}


def guard(client: Any, account: str, plain: Callable[[], Any]) -> None:
    """Refuse the client's calls that reach another account's resource; `plain()` makes an
    unguarded client of the same account for the guard's own lookups (S3's buckets)."""
    service = client.meta.service_model.service_name
    buckets = _Buckets(plain) if service == "s3" else None

    def check(params: dict[str, Any], model: Any, **_: Any) -> None:
        if service in CROSS_ACCOUNT:
            return
        for value in params.values():
            found = ARN.match(value) if isinstance(value, str) else None
            if found and found.group(1) != account:
                raise denied(service, model, account, value)
        bucket = params.get("Bucket")
        if buckets is None or not isinstance(bucket, str) or model.name == "CreateBucket":
            return
        if buckets.foreign(bucket):
            raise denied(service, model, account, f"arn:aws:s3:::{bucket}")

    client.meta.events.register(
        f"before-parameter-build.{client.meta.service_model.service_id.hyphenize()}", check
    )


class _Buckets:
    """The account's own buckets (remembered once seen); a bucket that is not among them but
    answers HeadBucket is another account's."""

    def __init__(self, plain: Callable[[], Any]) -> None:
        self._plain = plain
        self._client: Any = None
        self._own: set[str] = set()
        self._lock = threading.Lock()

    def foreign(self, bucket: str) -> bool:
        if bucket in self._own:
            return False
        with self._lock:
            if self._client is None:
                self._client = self._plain()
            client = self._client
        self._own |= {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if bucket in self._own:
            return False
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError:
            return False  # no such bucket: the call itself answers NoSuchBucket
        return True


def denied(service: str, model: Any, account: str, resource: str) -> ClientError:
    code, status = DENIED.get(service, ("AccessDeniedException", 400))
    prefix = model.service_model.signing_name or service
    action = f"{prefix}:{model.name}"
    message = (
        "Access Denied"
        if service == "s3"
        else f"User: arn:aws:iam::{account}:root is not authorized to perform: {action} on resource: "
        f"{resource} because no resource-based policy allows the {action} action"
    )
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": uuid.uuid4().hex.upper()},
    }
    return ClientError(response, model.name)
