"""Compiled JSON containers shared by the two template languages (payload templates and JSONata
templates): an object or array whose members are compiled nodes with ``evaluate(scope)``."""

from __future__ import annotations

from typing import Any

from designer.asl.scope import Scope


class ObjectNode:
    __slots__ = ("entries",)

    def __init__(self, entries: tuple[tuple[str, Any], ...]) -> None:
        self.entries = entries

    def evaluate(self, scope: Scope) -> Any:
        return {key: node.evaluate(scope) for key, node in self.entries}


class ArrayNode:
    __slots__ = ("items",)

    def __init__(self, items: tuple[Any, ...]) -> None:
        self.items = items

    def evaluate(self, scope: Scope) -> Any:
        return [node.evaluate(scope) for node in self.items]
