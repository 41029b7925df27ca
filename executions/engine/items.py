"""Where a distributed Map's items come from and where its results go, on local files.

* ItemReader: `arn:aws:states:::s3:getObject` with ReaderConfig.InputType JSON, JSONL or CSV
  (CSVHeaderLocation FIRST_ROW or GIVEN with CSVHeaders), MANIFEST (an S3 Inventory report,
  object store only), and `s3:listObjectsV2`; S3 bucket
  and key name a file under the resolver's `files_root` (`<root>/<Bucket>/<Key>`).
  ReaderConfig.MaxItems caps the items.
* ItemBatcher: MaxItemsPerBatch, MaxInputBytesPerBatch, BatchInput -> `{"BatchInput", "Items"}`.
* ResultWriter: `s3:putObject` writes SUCCEEDED_0.json / FAILED_0.json / manifest.json under
  `<root>/<Bucket>/<Prefix>/<map run id>/`, and the Map's result becomes the map run summary.

With an object store (`ObjectStore`: S3 itself, outside the engine; `Effects.objects`, from
`Resources.objects`) the same readers and writer go to S3 instead of local files:
`read_items_from`, `write_results_to`.

Failures are AWS's: States.ItemReaderFailed, States.ResultWriterFailed.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Protocol

from executions.engine.errors import ITEM_READER_FAILED, RESULT_WRITER_FAILED, StateFailure
from executions.engine.tasks import TaskError


class ObjectStore(Protocol):
    """S3 as the distributed Map reads and writes it (`Resources.objects`, outside the engine):
    its failures are TaskErrors."""

    async def get_text(self, bucket: Any, key: Any) -> str: ...

    async def get_bytes(self, bucket: Any, key: Any) -> bytes: ...

    async def list_objects(self, params: dict[str, Any]) -> list[Any]: ...

    async def put_text(self, bucket: Any, key: str, text: str) -> None: ...


def _file(root: Path | None, bucket: Any, key: Any) -> Path:
    if root is None:
        raise StateFailure(ITEM_READER_FAILED, "No local folder is configured for S3 buckets.")
    if not isinstance(bucket, str) or not isinstance(key, str):
        raise StateFailure(ITEM_READER_FAILED, "The ItemReader parameters need a Bucket and a Key string.")
    path = (root / bucket / key).resolve()
    if root.resolve() not in path.parents:
        raise StateFailure(ITEM_READER_FAILED, f"The key '{key}' leaves the bucket '{bucket}'.")
    return path


def _listed(path: Path, key: str) -> dict[str, Any]:
    """An object as s3:listObjectsV2 gives it to an iteration ("ItemReader (Map)": Etag, Key,
    LastModified in epoch seconds, Size, StorageClass)."""
    stat = path.stat()
    return {
        "Etag": f'"{hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()}"',
        "Key": key,
        "LastModified": int(stat.st_mtime),
        "Size": stat.st_size,
        "StorageClass": "STANDARD",
    }


def read_items(
    root: Path | None, resource: str, config: dict[str, Any], params: dict[str, Any], max_items: int | None
) -> list[Any]:
    """The items an ItemReader yields."""
    bucket = params.get("Bucket")
    if resource.endswith("s3:listObjectsV2"):
        folder = _file(root, bucket, ".")
        prefix = params.get("Prefix") or ""
        keys = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
        items = [_listed(keys[key], key) for key in sorted(keys) if key.startswith(prefix)]
    else:
        path = _file(root, bucket, params.get("Key"))
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise StateFailure(
                ITEM_READER_FAILED, f"Could not read s3://{bucket}/{params.get('Key')}: {exc}"
            ) from None
        items = _parse(text, config)
    return _cap(items, max_items)


def _cap(items: list[Any], max_items: int | None) -> list[Any]:
    if max_items is not None and max_items < 0:
        raise StateFailure(ITEM_READER_FAILED, "field MaxItems must be positive")
    return items[:max_items] if max_items else items


async def read_items_from(
    store: ObjectStore, resource: str, config: dict[str, Any], params: dict[str, Any], max_items: int | None
) -> list[Any]:
    """The items an ItemReader yields from an object store (S3): its errors are the reader's."""
    if max_items is not None and max_items < 0:
        raise StateFailure(ITEM_READER_FAILED, "field MaxItems must be positive")
    try:
        if resource.endswith("s3:listObjectsV2"):
            return _cap(await store.list_objects(params), max_items)
        if config.get("InputType") == "MANIFEST":
            return _cap(await _inventory(store, params), max_items)
        text = await store.get_text(params.get("Bucket"), params.get("Key"))
    except TaskError as error:
        raise StateFailure(ITEM_READER_FAILED, error.cause or error.error) from None
    return _cap(_parse(text, config), max_items)


async def _inventory(store: ObjectStore, params: dict[str, Any]) -> list[Any]:
    """The objects an S3 Inventory report lists: its manifest.json names the report's CSV files
    (gzip-compressed, in the destination bucket) and their columns (`fileSchema`); each row is
    an item keyed by those columns (developer guide, "ItemReader (Map)", S3 inventory)."""
    try:
        manifest = json.loads(await store.get_text(params.get("Bucket"), params.get("Key")))
        columns = [name.strip() for name in manifest["fileSchema"].split(",")]
        bucket = manifest["destinationBucket"].rpartition(":")[2]
        files = [entry["key"] for entry in manifest["files"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StateFailure(ITEM_READER_FAILED, f"The S3 inventory manifest is not valid: {exc}") from None
    if manifest.get("fileFormat", "CSV") != "CSV":
        raise StateFailure(ITEM_READER_FAILED, "Only CSV S3 inventory reports can be read.")
    items: list[Any] = []
    for key in files:
        data = await store.get_bytes(bucket, key)
        if key.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise StateFailure(
                    ITEM_READER_FAILED, f"Could not decompress s3://{bucket}/{key}: {exc}"
                ) from None
        rows = csv.reader(io.StringIO(data.decode("utf-8", "replace")))
        items.extend(dict(zip(columns, row, strict=False)) for row in rows if row)
    return items


def _parse(text: str, config: dict[str, Any]) -> list[Any]:
    kind = config.get("InputType", "JSON")
    try:
        if kind == "JSON":
            value = json.loads(text)
            if not isinstance(value, list):
                raise StateFailure(ITEM_READER_FAILED, "The JSON file does not hold an array.")
            return value
        if kind == "JSONL":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        if kind == "CSV":
            delimiter = "\t" if config.get("CSVDelimiter") == "TAB" else ","
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
            if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
                headers = config.get("CSVHeaders") or []
                if len(set(headers)) != len(headers):
                    raise StateFailure(ITEM_READER_FAILED, "CSV headers cannot contain duplicates.")
            else:
                headers, rows = (rows[0], rows[1:]) if rows else ([], [])
            # A short row's missing fields are empty, a long row's extra ones dropped (as AWS reads).
            return [{h: row[i] if i < len(row) else "" for i, h in enumerate(headers)} for row in rows]
    except ValueError as exc:
        raise StateFailure(ITEM_READER_FAILED, f"The {kind} file could not be parsed: {exc}") from None
    raise StateFailure(ITEM_READER_FAILED, f"Unsupported ReaderConfig.InputType '{kind}'.")


def batches(items: list[Any], max_items: int | None, max_bytes: int | None, batch_input: Any) -> list[Any]:
    """Items grouped as ItemBatcher says; each batch is `{"BatchInput"?, "Items": [...]}`."""
    out: list[list[Any]] = []
    current: list[Any] = []
    size = 0
    for item in items:
        item_size = len(json.dumps(item, separators=(",", ":")).encode("utf-8"))
        full = (max_items and len(current) >= max_items) or (
            max_bytes and current and size + item_size > max_bytes
        )
        if full:
            out.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        out.append(current)
    result: list[Any] = []
    for group in out:
        batch: dict[str, Any] = {}
        if batch_input is not None:
            batch["BatchInput"] = batch_input
        batch["Items"] = group
        result.append(batch)
    return result


def _result_files(outcomes: list[tuple[bool, Any]]) -> list[tuple[str, str]]:
    return [
        (
            f"{status}_0.json",
            json.dumps(
                [{"Output" if ok else "Error": v, "Status": status} for good, v in outcomes if good is ok]
            ),
        )
        for status, ok in (("SUCCEEDED", True), ("FAILED", False))
    ]


async def write_results_to(
    store: ObjectStore, params: dict[str, Any], run_arn: str, run_id: str, outcomes: list[tuple[bool, Any]]
) -> dict[str, Any]:
    """Write the map run's results to an object store (S3) and return the Map's summary."""
    bucket = params.get("Bucket")
    prefix = params.get("Prefix", "")
    folder = f"{prefix.rstrip('/')}/{run_id}" if prefix else run_id
    files: list[dict[str, Any]] = []
    try:
        for name, text in _result_files(outcomes):
            await store.put_text(bucket, f"{folder}/{name}", text)
            files.append({"Key": f"{folder}/{name}", "Size": len(text.encode("utf-8"))})
        manifest = {
            "DestinationBucket": bucket,
            "MapRunArn": run_arn,
            "ResultFiles": {"SUCCEEDED": [files[0]], "FAILED": [files[1]]},
        }
        await store.put_text(bucket, f"{folder}/manifest.json", json.dumps(manifest))
    except TaskError as error:
        raise StateFailure(RESULT_WRITER_FAILED, error.cause or error.error) from None
    return {"MapRunArn": run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": f"{folder}/manifest.json"}}


def write_results(
    root: Path | None, params: dict[str, Any], run_arn: str, run_id: str, outcomes: list[tuple[bool, Any]]
) -> dict[str, Any]:
    """Write the map run's results and return the Map's summary result."""
    bucket = params.get("Bucket")
    prefix = params.get("Prefix", "")
    try:
        folder = _file(root, bucket, f"{prefix.rstrip('/')}/{run_id}" if prefix else run_id)
    except StateFailure as failure:
        raise StateFailure(RESULT_WRITER_FAILED, failure.cause) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for status, ok in (("SUCCEEDED", True), ("FAILED", False)):
            entries = [
                {"Output" if ok else "Error": v, "Status": status} for good, v in outcomes if good is ok
            ]
            name = f"{status}_0.json"
            (folder / name).write_text(json.dumps(entries), encoding="utf-8")
            files.append({"Key": f"{folder.name}/{name}", "Size": (folder / name).stat().st_size})
        manifest = {
            "DestinationBucket": bucket,
            "MapRunArn": run_arn,
            "ResultFiles": {"SUCCEEDED": [files[0]], "FAILED": [files[1]]},
        }
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    except OSError as exc:
        raise StateFailure(RESULT_WRITER_FAILED, f"Could not write the results: {exc}") from None
    key = f"{prefix.rstrip('/')}/{run_id}/manifest.json" if prefix else f"{run_id}/manifest.json"
    return {"MapRunArn": run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": key}}
