"""The effects of a run inside this process: Tasks answered through `Resources` (local
functions, local state machines, HTTP, mocks), token answers and activities in memory
(`TokenAnswers`), events passed to `on_event`. TestState and the conformance harness run so."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from executions.engine.effects import Clock, FakeClock, TokenAnswers
from executions.engine.items import ObjectStore
from executions.engine.map_runs import MapRun
from executions.engine.tasks import TaskRequest
from executions.integrations.resources import Resources


@dataclass
class LocalEffects:
    """Effects for a run inside this process: local functions and mocks through
    `resources`, events collected in `events` and passed to `on_event`."""

    resources: Resources = field(default_factory=Resources)
    clock: Clock = field(default_factory=FakeClock)
    tokens: TokenAnswers = field(default_factory=TokenAnswers)
    on_event: Callable[[dict[str, Any]], None] | None = None
    # Deterministic ids by default: the same key gives the same id, so a resumed or repeated
    # run reproduces its history exactly. A runner that hands out task tokens uses random ids
    # (the checkpoint keeps the ones issued).
    ids: Callable[[str], str] = field(default=lambda key: str(uuid.uuid5(uuid.NAMESPACE_URL, key)))

    def emit(self, event: dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def new_id(self, key: str) -> str:
        return self.ids(key)

    async def invoke(self, request: TaskRequest) -> Any:
        return await self.resources.invoke(request, self)

    async def hold_token(self, token: str, state_name: str) -> None:
        """Tokens live in `tokens`, which keeps an answer that comes before the wait."""

    async def activity_started(self, request: TaskRequest) -> str:
        """Wait until a worker takes the activity task (GetActivityTask); its name."""
        return await self.tokens.offer_activity(
            request.target.resource, request.task_token or "", json.dumps(request.input)
        )

    def map_run(self, run: MapRun) -> None:
        """A local run keeps its map runs in its history only."""

    @property
    def files_root(self) -> Path | None:
        return self.resources.files_root

    @property
    def objects(self) -> ObjectStore | None:
        return self.resources.objects

    async def wait_for_token(self, request: TaskRequest) -> Any:
        return await self.tokens.wait(
            request.task_token or "", self.clock, request.timeout_seconds, request.heartbeat_seconds
        )
