"""Where a distributed Map's items come from and where its results go, on local files.

* ItemReader: `arn:aws:states:::s3:getObject` with ReaderConfig.InputType JSON, JSONL or CSV
  (CSVHeaderLocation FIRST_ROW or GIVEN with CSVHeaders), and `s3:listObjectsV2`; S3 bucket
  and key name a file under the resolver's `files_root` (`<root>/<Bucket>/<Key>`).
  ReaderConfig.MaxItems caps the items.
* ItemBatcher: MaxItemsPerBatch, MaxInputBytesPerBatch, BatchInput -> `{"BatchInput", "Items"}`.
* ResultWriter: `s3:putObject` writes SUCCEEDED_0.json / FAILED_0.json / manifest.json under
  `<root>/<Bucket>/<Prefix>/<map run id>/`, and the Map's result becomes the map run summary.

Failures are AWS's: States.ItemReaderFailed, States.ResultWriterFailed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from executions.engine.errors import ITEM_READER_FAILED, RESULT_WRITER_FAILED, StateFailure


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
    if max_items is not None and max_items > 0:
        items = items[:max_items]
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
            else:
                headers, rows = (rows[0], rows[1:]) if rows else ([], [])
            return [dict(zip(headers, row, strict=False)) for row in rows]
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
