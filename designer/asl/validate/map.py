"""Map states beyond their shape: an item processor (ItemProcessor or the legacy Iterator) is required;
ItemReader/ItemBatcher exclusive pairs; Label (Distributed Map run labels: at most 40 characters, none of
AWS's reserved characters, unique in the definition)."""

from __future__ import annotations

import re
from typing import Any

from designer.asl.diagnostics import (
    DUPLICATE_LABEL_NAME,
    INVALID_LABEL_NAME,
    MAP_CONCURRENCY_LIMIT,
    SCHEMA_VALIDATION_FAILED,
)
from designer.asl.validate.context import Context, pointer_join
from designer.asl.validate.fields import exclusive

MAX_LABEL_LENGTH = 40
# AWS runs at most 40 Inline iterations and 10,000 Distributed child executions at once; a higher
# MaxConcurrency is accepted but not honoured, so it gets a warning.
CONCURRENCY_LIMITS = {"INLINE": 40, "DISTRIBUTED": 10_000}
# AWS's naming rule for labels (as for execution names): no whitespace, brackets, wildcards,
# special characters or control characters.
LABEL_FORBIDDEN = re.compile(r"""[\s<>{}\[\]?*"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]""")


def check(ctx: Context) -> None:
    labels: dict[str, str] = {}
    for state in ctx.states:
        body = state.body
        if not isinstance(body, dict) or body.get("Type") != "Map":
            continue
        if "ItemProcessor" not in body and "Iterator" not in body:
            ctx.report(SCHEMA_VALIDATION_FAILED, state.pointer, "These fields are required: [ItemProcessor]")
        reader = body.get("ItemReader")
        if isinstance(reader, dict) and isinstance(reader.get("ReaderConfig"), dict):
            exclusive(
                ctx,
                pointer_join(state.pointer, "ItemReader", "ReaderConfig"),
                reader["ReaderConfig"],
                "MaxItems",
                "MaxItemsPath",
            )
        batcher = body.get("ItemBatcher")
        if isinstance(batcher, dict):
            where = pointer_join(state.pointer, "ItemBatcher")
            exclusive(ctx, where, batcher, "MaxItemsPerBatch", "MaxItemsPerBatchPath")
            exclusive(ctx, where, batcher, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
        _concurrency(ctx, state.pointer, body)
        label = body.get("Label")
        if isinstance(label, str):
            where = pointer_join(state.pointer, "Label")
            if not label:
                ctx.report(INVALID_LABEL_NAME, where, "The Map Label must not be empty")
            elif len(label) > MAX_LABEL_LENGTH:
                ctx.report(
                    INVALID_LABEL_NAME,
                    where,
                    f"The Map Label is {len(label)} characters long; the maximum is {MAX_LABEL_LENGTH}",
                )
            elif bad := LABEL_FORBIDDEN.search(label):
                ctx.report(
                    INVALID_LABEL_NAME,
                    where,
                    f"The Map Label contains {bad.group()!r}, which is not allowed "
                    "(no whitespace, brackets, wildcards, special or control characters)",
                )
            if label in labels:
                ctx.report(
                    DUPLICATE_LABEL_NAME, where, f"The Map Label '{label}' is also used at {labels[label]}"
                )
            else:
                labels[label] = where


def _concurrency(ctx: Context, pointer: str, body: dict[str, Any]) -> None:
    limit = body.get("MaxConcurrency")
    processor = body.get("ItemProcessor", body.get("Iterator"))
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    mode = config.get("Mode", "INLINE") if isinstance(config, dict) else "INLINE"
    most = CONCURRENCY_LIMITS.get(mode) if isinstance(mode, str) else None
    if isinstance(limit, int) and not isinstance(limit, bool) and most is not None and limit > most:
        ctx.report(
            MAP_CONCURRENCY_LIMIT,
            pointer_join(pointer, "MaxConcurrency"),
            f"A {mode} Map runs at most {most:,} iterations at once; "
            f"MaxConcurrency {limit:,} acts as {most:,}",
            "warning",
        )
