"""S3 for the distributed Map: what its ItemReader reads and where its ResultWriter writes
(developer guide, "ItemReader (Map)" and "ResultWriter (Map)"), in the account's S3 through the
same clients and error names as `aws-sdk:s3` tasks. The engine parses the items."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from executions.integrations.aws import recorded, sdk
from executions.integrations.aws.clients import ROUTE, Remote
from executions.integrations.aws.errors import sdk_error


class S3Objects:
    """The engine's object store for one account and region."""

    def __init__(
        self,
        account: str,
        region: str,
        on_call: Callable[[dict[str, Any]], None] | None = None,
        via: Remote | None = None,
    ) -> None:
        self.account = account
        self.region = region
        self.on_call = on_call
        self.via = via  # the deploy target the run is pointed at

    async def _routed(self, call: Awaitable[Any]) -> Any:
        route = ROUTE.set(self.via)
        try:
            return await call
        finally:
            ROUTE.reset(route)

    async def _call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        call = sdk.call("s3", action, params, self.account, self.region, as_json=False)
        if self.on_call is not None:
            resource = f"arn:aws:states:::s3:{action}"
            call = recorded(self.on_call, "", resource, "s3", self.region, call)
        answer: dict[str, Any]
        answer, _ = await self._routed(call)
        return answer

    async def get_bytes(self, bucket: Any, key: Any) -> bytes:
        """An object's bytes as stored (S3 inventory files are gzip-compressed)."""
        model, operation = sdk.operation_of("s3", "getObject")
        params = sdk.prepare(model, operation, {"Bucket": bucket, "Key": key}, as_json=False)

        async def get() -> tuple[bytes, None]:
            try:
                response, _ = await sdk.send("s3", model, operation, params, self.account, self.region)
            except ClientError as exc:
                raise sdk_error(exc, model) from None
            return await asyncio.to_thread(response["Body"].read), None

        call = get()
        if self.on_call is not None:
            call = recorded(self.on_call, "", "arn:aws:states:::s3:getObject", "s3", self.region, call)
        body: bytes
        body, _ = await self._routed(call)
        return body

    async def get_text(self, bucket: Any, key: Any) -> str:
        answer = await self._call("getObject", {"Bucket": bucket, "Key": key})
        return str(answer.get("Body", ""))

    async def list_objects(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every object ListObjectsV2 lists for the parameters, as the reader's items:
        `{"Etag", "Key", "LastModified" (epoch seconds), "Size", "StorageClass"}`."""
        items: list[dict[str, Any]] = []
        request = {k: v for k, v in params.items() if k != "ContinuationToken"}
        while True:
            page = await self._call("listObjectsV2", request)
            items.extend(
                {
                    "Etag": entry.get("ETag"),
                    "Key": entry.get("Key"),
                    "LastModified": _epoch(entry.get("LastModified")),
                    "Size": entry.get("Size"),
                    "StorageClass": entry.get("StorageClass"),
                }
                for entry in page.get("Contents", [])
            )
            if not page.get("IsTruncated"):
                return items
            request["ContinuationToken"] = page["NextContinuationToken"]

    async def put_text(self, bucket: Any, key: str, text: str) -> None:
        await self._call("putObject", {"Bucket": bucket, "Key": key, "Body": text})


def _epoch(iso: Any) -> Any:
    return int(datetime.fromisoformat(iso).timestamp()) if isinstance(iso, str) else iso
