"""What every operation shares: the parsed request (``Call``) with AWS's validation messages,
and pagination by opaque tokens holding an offset."""

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from executions.exceptions import InvalidToken, ValidationException
from executions.sfn_api.auth import Identity


@dataclass(frozen=True)
class Staged:
    """An async operation that begins with database work: ``first(call)`` runs in the thread
    that authenticated the call (one hop to a thread, not two), ``then(call, first's result)``
    on the event loop."""

    first: Callable[["Call"], Any]
    then: Callable[["Call", Any], Awaitable[dict]]


DEFAULT_PAGE = 100
MAX_PAGE = 1000
MAX_OFFSET = 2**31 - 1


@dataclass
class Call:
    params: dict[str, Any]
    region: str
    identity: Identity

    def required(self, name: str, kind: type = str) -> Any:
        value = self.params.get(name)
        if value is None:
            raise ValidationException(
                f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: "
                "Member must not be null"
            )
        return self.typed(name, value, kind)

    def optional(self, name: str, kind: type = str, default: Any = None) -> Any:
        value = self.params.get(name)
        return default if value is None else self.typed(name, value, kind)

    @staticmethod
    def typed(name: str, value: Any, kind: type) -> Any:
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise ValidationException(
                f"Value at '{name}' failed to satisfy constraint: must be a {kind.__name__}"
            )
        return value

    @property
    def owner_id(self) -> int | None:
        return self.identity.user_id

    @property
    def account(self) -> str:
        return self.identity.account


def drop_none(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


def paginate(call: Call, rows: QuerySet, default: int = DEFAULT_PAGE) -> tuple[list, str | None]:
    size = call.optional("maxResults", int, 0) or default
    if not 0 < size <= MAX_PAGE:
        raise ValidationException(f"maxResults must be between 1 and {MAX_PAGE}")
    offset = 0
    if token := call.optional("nextToken"):
        try:
            offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
        except (ValueError, KeyError, TypeError, RecursionError):
            offset = None
        # Only an offset this endpoint could have handed out: a forged one must not reach the query.
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise InvalidToken(f"Invalid Token: '{token}'")
    items = list(rows[offset : offset + size + 1])
    more = len(items) > size
    token = (
        base64.urlsafe_b64encode(json.dumps({"offset": offset + size}).encode()).decode() if more else None
    )
    return items[:size], token
