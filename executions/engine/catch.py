"""Catch: which Catcher answers an error, and the error output AWS hands it."""

from __future__ import annotations

from typing import Any

from designer.asl.errors import error_matches


def find_catcher(catchers: tuple[Any, ...], error: str) -> Any | None:
    """The first Catcher whose ErrorEquals matches, or None."""
    for catcher in catchers:
        if error_matches(tuple(catcher.error_equals), error):
            return catcher
    return None


def error_output(error: str | None, cause: str | None) -> dict[str, Any]:
    """`{"Error": ..., "Cause": ...}`, keys present only when AWS has a value for them."""
    out: dict[str, Any] = {}
    if error is not None:
        out["Error"] = error
    if cause is not None:
        out["Cause"] = cause
    return out
