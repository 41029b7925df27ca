"""The JSON payloads callers hand in (execution input, task output), checked against AWS's
size limit before anything is stored."""

import json

from symphony.storable import unstorable_at

MAX_PAYLOAD_BYTES = 256 * 1024


def parse_json_payload(text: str | None, error: type[Exception], what: str) -> str:
    if text is None:
        return "{}"
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise error(f"{what} exceeds the maximum size of {MAX_PAYLOAD_BYTES} bytes")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise error(f"Invalid {what.lower()}: {exc}") from exc
    except RecursionError:
        raise error(f"Invalid {what.lower()}: nested too deeply") from None
    # The runner encodes the value to UTF-8 (sizes, history, checkpoints): an unpaired
    # surrogate cannot be. NUL stays escaped in the stored JSON text, as AWS keeps it.
    if found := unstorable_at(value, nul_ok=True):
        path, problem = found
        raise error(f"Invalid {what.lower()}: the string at '{path or '$'}' contains {problem}")
    return text
