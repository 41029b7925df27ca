"""Template placeholders: `${Name}` (SAM DefinitionSubstitutions, CloudFormation Fn::Sub, Terraform),
`_tbd_`/`__tbd__` and `%UPPER_TOKEN%` (test templates). A definition holding them is judged as it will be
once they are substituted: each is reported as a warning, and the rules check a copy in which a
placeholder filling a whole field gets a value that field accepts (a number, an ARN, a path) and one
inside a longer string becomes a plain word."""

from __future__ import annotations

import re
from typing import Any

from designer.asl.document import escape_token

TOKEN = re.compile(
    r"\$\{[^{}\s]+\}|(?<![A-Za-z0-9])__?(?:tbd|TBD|tbc|TBC)__?(?![A-Za-z0-9])|%[A-Za-z][A-Za-z0-9_]*%"
)
QUICK = re.compile(r"\$\{|_(?:tbd|TBD|tbc|TBC)_|%[A-Za-z]|\"(?:Ref|Fn::[A-Za-z]+)\"")
# CloudFormation intrinsic objects standing where a value goes: {"Fn::GetAtt": [...]}, {"Ref": "X"}.
CFN_FUNCTION = re.compile(r"^(Ref|Fn::[A-Za-z]+)$")
NUMERIC_FIELDS = frozenset(
    {
        "TimeoutSeconds",
        "HeartbeatSeconds",
        "Seconds",
        "MaxConcurrency",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
        "MaxItems",
        "MaxItemsPerBatch",
        "MaxInputBytesPerBatch",
    }
)
RESOURCE_VALUE = "arn:aws:lambda:us-east-1:123456789012:function:Placeholder"


def _whole_value(key: str | int) -> Any:
    if not isinstance(key, str):
        return "Placeholder"
    if key in NUMERIC_FIELDS:
        return 1
    if key == "Resource":
        return RESOURCE_VALUE
    if key in ("CSVHeaders", "Items"):
        return []
    if key.endswith((".$", "Path")) or key == "Variable":
        return "$"
    return "Placeholder"


def substitute(value: Any, text: str | None = None) -> tuple[Any, list[tuple[str, str]]]:
    """A copy of `value` with placeholders filled in, and (pointer, token) for each one found."""
    if text is not None and not QUICK.search(text):
        return value, []
    found: list[tuple[str, str]] = []
    root: list[Any] = [value]
    todo: list[tuple[Any, str | int, str]] = [(root, 0, "")]
    while todo:
        parent, key, pointer = todo.pop()
        item = parent[key]
        if isinstance(item, dict) and len(item) == 1 and CFN_FUNCTION.match(next(iter(item))):
            found.append((pointer, f"{{{next(iter(item))!r}: ...}}"))
            parent[key] = _whole_value(key)
        elif isinstance(item, dict):
            for k in item:
                if token := TOKEN.search(k):
                    found.append((f"{pointer}/{escape_token(k)}", token.group()))
            copy = dict(item)
            parent[key] = copy
            todo.extend((copy, k, f"{pointer}/{escape_token(k)}") for k in copy)
        elif isinstance(item, list):
            copy_list = list(item)
            parent[key] = copy_list
            todo.extend((copy_list, i, f"{pointer}/{i}") for i in range(len(copy_list)))
        elif isinstance(item, str) and QUICK.search(item):
            tokens = TOKEN.findall(item)
            if not tokens:
                continue
            found.extend((pointer, t) for t in tokens)
            parent[key] = _whole_value(key) if TOKEN.fullmatch(item) else TOKEN.sub("Placeholder", item)
    return root[0], found
