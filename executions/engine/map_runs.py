"""A distributed Map's map run as the engine keeps it: its ARN, the settings UpdateMapRun may
change while it runs (MaxConcurrency, tolerated failures), its child executions and the item
and execution counts DescribeMapRun answers with.

The Map state changes a `MapRun` and calls `effects.map_run(run)` after each change;
whoever keeps map runs takes the accumulated changes with
`take_changes()`. A settings change reaches the running map through `update()`, which wakes
its scheduler.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# DescribeMapRun's MapRunItemCounts / MapRunExecutionCounts members.
COUNT_KEYS = (
    "pending",
    "running",
    "succeeded",
    "failed",
    "timedOut",
    "aborted",
    "total",
    "resultsWritten",
    "failuresNotRedrivable",
    "pendingRedrive",
)
FINAL = {"SUCCEEDED": "succeeded", "FAILED": "failed", "TIMED_OUT": "timedOut", "ABORTED": "aborted"}


@dataclass
class ChildExecution:
    """One child workflow execution of the map run (one item, or one batch of items)."""

    index: int
    arn: str
    name: str
    input_text: str
    items: int
    status: str = "PENDING"  # PENDING until a slot under MaxConcurrency starts it
    start: datetime | None = None
    stop: datetime | None = None
    output_text: str | None = None
    error: str | None = None
    cause: str | None = None
    # Events recorded since the last take_changes(); `fresh` while this run of the child has
    # reported nothing yet (a resumed parent runs its children again from their start).
    new_events: list[dict[str, Any]] = field(default_factory=list)
    fresh: bool = True
    counted: str | None = None  # the status the map run's counts hold for this child


@dataclass
class MapRun:
    arn: str
    execution_arn: str
    state_machine_arn: str  # the child state machine: <parent machine ARN>/<label or id>
    label: str
    execution_type: str  # STANDARD | EXPRESS
    processor_pointer: str  # JSON pointer of the ItemProcessor in the parent's definition
    start: datetime
    max_concurrency: int
    tolerated_failure_count: int
    tolerated_failure_percentage: float
    # Whether a threshold was set (in the definition or by UpdateMapRun): with none, any
    # failure fails the map run.
    has_tolerated_count: bool = False
    has_tolerated_percentage: bool = False
    status: str = "RUNNING"
    stop: datetime | None = None
    children: list[ChildExecution] = field(default_factory=list)
    # Counts kept up to date as children change (recounting them all per change is quadratic).
    _counts: dict[bool, dict[str, int]] = field(
        default_factory=lambda: {True: dict.fromkeys(COUNT_KEYS, 0), False: dict.fromkeys(COUNT_KEYS, 0)}
    )
    _dirty: set[int] = field(default_factory=set)
    _summary_dirty: bool = True
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    # -- counts ------------------------------------------------------------------------------
    def counts(self, by_items: bool) -> dict[str, int]:
        return dict(self._counts[by_items])

    def _count(self, child: ChildExecution, status: str, sign: int) -> None:
        for by_items, counts in self._counts.items():
            weight = sign * (child.items if by_items else 1)
            counts["total"] += weight
            counts[FINAL.get(status) or status.lower()] += weight
            if status == "SUCCEEDED":
                counts["resultsWritten"] += weight

    def failed_count(self) -> int:
        return sum(1 for c in self.children if c.status in {"FAILED", "TIMED_OUT", "ABORTED"})

    def exceeds_tolerance(self) -> bool:
        """Whether the failures so far fail the map run (ToleratedFailureCount/Percentage)."""
        failed, total = self.failed_count(), len(self.children)
        if not failed:
            return False
        over_count = failed > self.tolerated_failure_count
        over_pct = failed * 100.0 / total > self.tolerated_failure_percentage
        if self.has_tolerated_count and self.has_tolerated_percentage:
            return over_count and over_pct
        if self.has_tolerated_count:
            return over_count
        if self.has_tolerated_percentage:
            return over_pct
        return True

    # -- changes -----------------------------------------------------------------------------
    def add_child(self, child: ChildExecution) -> None:
        self.children.append(child)
        self.child_changed(child)

    def child_changed(self, child: ChildExecution) -> None:
        if child.counted != child.status:
            if child.counted is not None:
                self._count(child, child.counted, -1)
            self._count(child, child.status, 1)
            child.counted = child.status
        self._dirty.add(child.index)
        self._summary_dirty = True

    def finish(self, status: str, moment: datetime) -> None:
        self.status, self.stop = status, moment
        self._summary_dirty = True

    def update(
        self,
        max_concurrency: int | None = None,
        tolerated_failure_count: int | None = None,
        tolerated_failure_percentage: float | None = None,
    ) -> None:
        """New settings (UpdateMapRun); the scheduler starts more children at once if allowed."""
        if max_concurrency is not None:
            self.max_concurrency = max_concurrency
        if tolerated_failure_count is not None:
            self.tolerated_failure_count = tolerated_failure_count
            self.has_tolerated_count = True
        if tolerated_failure_percentage is not None:
            self.tolerated_failure_percentage = float(tolerated_failure_percentage)
            self.has_tolerated_percentage = True
        self._summary_dirty = True
        self._changed.set()

    def settings(self) -> tuple[int, int, float]:
        return self.max_concurrency, self.tolerated_failure_count, self.tolerated_failure_percentage

    async def settings_changed(self) -> None:
        await self._changed.wait()
        self._changed.clear()

    def summary(self) -> dict[str, Any]:
        return {
            "arn": self.arn,
            "execution_arn": self.execution_arn,
            "state_machine_arn": self.state_machine_arn,
            "label": self.label,
            "execution_type": self.execution_type,
            "processor_pointer": self.processor_pointer,
            "status": self.status,
            "start": self.start,
            "stop": self.stop,
            "max_concurrency": self.max_concurrency,
            "tolerated_failure_count": self.tolerated_failure_count,
            "tolerated_failure_percentage": self.tolerated_failure_percentage,
            "item_counts": self.counts(by_items=True),
            "execution_counts": self.counts(by_items=False),
        }

    def take_changes(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The run's summary (None when unchanged) and the children changed since the last call,
        each with the events it recorded meanwhile."""
        summary = self.summary() if self._summary_dirty else None
        children = []
        for index in sorted(self._dirty):
            child = self.children[index]
            children.append(
                {
                    "index": child.index,
                    "arn": child.arn,
                    "name": child.name,
                    "input": child.input_text,
                    "items": child.items,
                    "status": child.status,
                    "start": child.start,
                    "stop": child.stop,
                    "output": child.output_text,
                    "error": child.error,
                    "cause": child.cause,
                    "events": child.new_events,
                    "reset": child.fresh and child.start is not None,
                }
            )
            child.new_events = []
            if child.start is not None:
                child.fresh = False
        self._dirty.clear()
        self._summary_dirty = False
        return summary, children
