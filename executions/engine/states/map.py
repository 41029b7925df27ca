"""Map: runs the ItemProcessor once per item (or batch), concurrently under MaxConcurrency.

This module reads the items and the settings, then hands over to the mode: inline Map
(map_inline.py) runs iterations in the execution's own history; distributed Map
(map_distributed.py) runs each item as a child execution of a map run. The fields' values are
read in map_fields.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from designer.asl.model import Map
from executions.engine.errors import ITEM_READER_FAILED, StateFailure
from executions.engine.frames import StateRun, Work
from executions.engine.items import batches
from executions.engine.states import map_fields
from executions.engine.states.map_distributed import run_distributed
from executions.engine.states.map_inline import run_inline

if TYPE_CHECKING:
    from executions.engine.interpreter import Execution


async def run(execution: Execution, run: StateRun[Map], effective: Any) -> Work:
    state = run.state
    jsonata = state.is_jsonata
    distributed = state.processor_mode == "DISTRIBUTED"
    reader_failure: StateFailure | None = None
    try:
        items = await _read_items(execution, run, effective, jsonata)
    except StateFailure as failure:
        if not (distributed and failure.error == ITEM_READER_FAILED):
            failure.on_final = lambda: run.frame.history.add(run.frame.chain, "MapStateFailed", None)
            raise
        # The map run starts, then fails with the reader's error (recorded: s3_scenarios_map).
        reader_failure, items = failure, []
    max_concurrency = map_fields.max_concurrency(run, effective)
    history = run.frame.history
    if run.children is None:  # a redrive goes on with the Map it started
        # AWS reports no length for items an ItemReader reads (recorded: s3_scenarios_map).
        length = 0 if state.item_reader is not None else len(items)
        history.add(run.frame.chain, "MapStateStarted", {"length": length})
    tolerated_count = map_fields.tolerated_count(run, effective)
    tolerated_pct = map_fields.tolerated_percentage(run, effective)
    inputs = [map_fields.item_input(run, effective, i, item, jsonata) for i, item in enumerate(items)]
    batcher = state.item_batcher
    if batcher is not None:
        inputs = batches(
            inputs,
            map_fields.number(
                run,
                batcher.max_items_per_batch_path,
                batcher.max_items_per_batch,
                "max_items_per_batch",
                effective,
            ),
            map_fields.number(
                run,
                batcher.max_input_bytes_per_batch_path,
                batcher.max_input_bytes_per_batch,
                "max_input_bytes_per_batch",
                effective,
            ),
            map_fields.template(run, batcher.batch_input, effective),
        )
    if distributed:
        return await run_distributed(
            execution, run, inputs, max_concurrency, tolerated_count, tolerated_pct, reader_failure
        )
    return await run_inline(execution, run, inputs, max_concurrency)


@dataclass
class Settings:
    """What a Map would run, before it runs: its items, MaxConcurrency and tolerated failures
    (None when the state does not set them)."""

    items: list[Any]
    max_concurrency: int
    tolerated_count: int | None
    tolerated_percentage: float | None


def settings(
    execution: Execution, run: StateRun[Map], effective: Any, items: list[Any] | None = None
) -> Settings:
    """The Map's settings evaluated as `run` does (TestState's mocked Map); `items` stands in
    for what the ItemReader would read."""
    state = run.state
    if items is None:
        items = _items(execution, run, effective, state.is_jsonata)
    count = map_fields.tolerated_count(run, effective) if map_fields.has_tolerated_count(state) else None
    percentage = (
        map_fields.tolerated_percentage(run, effective)
        if map_fields.has_tolerated_percentage(state)
        else None
    )
    return Settings(items, map_fields.max_concurrency(run, effective), count, percentage)


async def _read_items(execution: Execution, run: StateRun[Map], effective: Any, jsonata: bool) -> list[Any]:
    """The items, from the object store (S3) when the effects have one and the state an
    ItemReader, else as `_items` reads them."""
    reader = run.state.item_reader
    store = execution.effects.objects
    if reader is not None and store is not None:
        return await map_fields.read_from(store, run, reader, effective, jsonata)
    return _items(execution, run, effective, jsonata)


def _items(execution: Execution, run: StateRun[Map], effective: Any, jsonata: bool) -> list[Any]:
    reader = run.state.item_reader
    if reader is not None:
        return map_fields.read(execution.effects.files_root, run, reader, effective, jsonata)
    return map_fields.items(run, effective, jsonata)
