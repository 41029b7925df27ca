"""Definition substitutions: ``${Name}`` in a definition's strings, replaced by a target's values.

The replacement is textual, as CloudFormation's ``DefinitionSubstitutions`` does it on the
``DefinitionString`` (AWS::StepFunctions::StateMachine, "DefinitionSubstitutions"), so the text an
IaC export deploys equals the text publish sends; each value is JSON-escaped first, so any value
leaves the JSON well-formed.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

PLACEHOLDER_RE = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class Placeholder:
    name: str
    pointer: str  # JSON pointer of the string (or key) holding it
    state: str | None  # the innermost state it is in

    def to_dict(self) -> dict:
        return {"name": self.name, "pointer": self.pointer, "state": self.state}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def find_placeholders(document: Any) -> list[Placeholder]:
    """Every ``${...}`` in the document's strings and keys, in document order, with its place."""
    found: list[Placeholder] = []

    def walk(node: Any, path: list[str], state: str | None) -> None:
        pointer = "".join("/" + _escape(part) for part in path)
        if isinstance(node, str):
            found.extend(Placeholder(m[1], pointer, state) for m in PLACEHOLDER_RE.finditer(node))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, [*path, str(index)], state)
        elif isinstance(node, dict):
            for key, value in node.items():
                child = [*path, key]
                if isinstance(key, str):
                    found.extend(
                        Placeholder(m[1], pointer + "/" + _escape(key), state)
                        for m in PLACEHOLDER_RE.finditer(key)
                    )
                inner = key if len(path) >= 1 and path[-1] == "States" else state
                walk(value, child, inner)

    walk(document, [], None)
    return found


def unresolved(document: Any, values: dict[str, str]) -> list[Placeholder]:
    return [p for p in find_placeholders(document) if p.name not in values]


def substitute(json_text: str, values: dict[str, str]) -> str:
    """The JSON text with each known ``${Name}`` replaced (JSON-escaped); unknown ones stay."""

    def replace(match: re.Match) -> str:
        name = match[1]
        return json.dumps(values[name], ensure_ascii=False)[1:-1] if name in values else match[0]

    return PLACEHOLDER_RE.sub(replace, json_text)
