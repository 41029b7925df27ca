"""The JSON payloads callers hand in (execution input, task output), checked against AWS's
size limit before anything is stored."""

import json

MAX_PAYLOAD_BYTES = 256 * 1024


def parse_json_payload(text: str | None, error: type[Exception], what: str) -> str:
    if text is None:
        return "{}"
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise error(f"{what} exceeds the maximum size of {MAX_PAYLOAD_BYTES} bytes")
    try:
        json.loads(text)
    except ValueError as exc:
        raise error(f"Invalid {what.lower()}: {exc}") from exc
    return text
