"""The engine's only way out: clock and timers, task invocation, event sink, ids.

`Effects` is the protocol the interpreter calls; the runner service plugs in durable
versions (a database-backed sink, token answers from the API). `Clock` runs idle time at a
scale: 0 means every Wait and retry interval passes at once (the clock still jumps ahead,
so `$$.State.EnteredTime` and Wait timestamps stay coherent), 0.01 runs a day's Wait in
~15 minutes, 1 is real time; work in flight and its timeouts always take real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from executions.engine.items import ObjectStore
from executions.engine.map_runs import MapRun
from executions.engine.tasks import TaskError, TaskRequest, TaskTimeout


class Clock:
    """The execution's time, with the time scale applied to idle time only.

    Waits and retry intervals (`sleep`) take `seconds * scale` real seconds and the clock
    jumps ahead by the whole interval, so a day's Wait passes at once at 0x. Work in flight
    (a running function, a task waiting for its token) runs on real time at every scale, and
    its TimeoutSeconds/HeartbeatSeconds and the state machine's deadline (`wait_until`)
    measure that real work: skipping idle time must never make real work fail.
    """

    def __init__(self, scale: float = 0.0, start: datetime | None = None) -> None:
        self.scale = scale
        self._start = start or datetime.now(UTC)
        self._t0 = time.monotonic()
        self._skipped = 0.0  # idle seconds the clock jumped over
        self._jumped: asyncio.Event | None = None

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0 + self._skipped)

    def advance_to(self, moment: datetime) -> None:
        """Jump forward to `moment` without waiting (an idle interval, a resumed run's replay)."""
        ahead = (moment - self.now()).total_seconds()
        if ahead > 0:
            self._skipped += ahead
            self._wake()

    async def sleep(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        target = self.now() + timedelta(seconds=seconds)
        await asyncio.sleep(seconds * self.scale if self.scale > 0 else 0)
        self.advance_to(target)

    async def wait_until(self, moment: datetime) -> None:
        """Return at `moment` while work is in flight: real time, plus any jump made meanwhile."""
        while (left := (moment - self.now()).total_seconds()) > 0:
            if self._jumped is None:
                self._jumped = asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._jumped.wait(), left)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Mark real work (a function in a thread, an HTTP call) running for its duration."""
        yield

    def _wake(self) -> None:
        if self._jumped is not None:
            self._jumped.set()
            self._jumped = None


class FakeClock(Clock):
    """A clock for tests: starts at a fixed instant and moves only when the execution sleeps
    (work takes no time), never waiting for real. A timer of work in flight fires once the
    engine is idle (no clock reading, no sleep, no function running for `SETTLE` turns of the
    event loop and then `GRACE` real seconds): a test that never answers times out
    deterministically, while an answer from another coroutine is heard first. Answers that take
    real time (another thread, a slow peer) need a real `Clock`."""

    SETTLE = 50
    GRACE = 0.005

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__(0.0, start or datetime(2024, 1, 1, tzinfo=UTC))
        self._virtual = self._start
        self._ticks = 0  # activity seen: readings and moves of the clock
        self._busy = 0
        self._timers: list[datetime] = []

    def now(self) -> datetime:
        self._ticks += 1
        return self._virtual

    def advance_to(self, moment: datetime) -> None:
        self._ticks += 1
        self._virtual = max(self._virtual, moment)

    async def sleep(self, seconds: float) -> None:
        # A Wait or a retry interval is a timer like any other: when several are pending
        # (Parallel branches, Map iterations), the earliest fires first, and only once the
        # rest of the engine is idle, so a failing sibling stops a waiting branch in time.
        await self.wait_until(self.now() + timedelta(seconds=max(0.0, seconds)))

    async def wait_until(self, moment: datetime) -> None:
        self._timers.append(moment)
        try:
            while self._virtual < moment:
                seen = self._ticks
                for _ in range(self.SETTLE):
                    await asyncio.sleep(0)
                await asyncio.sleep(self.GRACE)
                if self._ticks == seen and not self._busy:
                    # idle: the earliest pending timer fires first
                    self.advance_to(min(self._timers))
        finally:
            self._timers.remove(moment)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            self._ticks += 1


class TokenAnswers:
    """Answers to `.waitForTaskToken` tasks: SendTaskSuccess / SendTaskFailure /
    SendTaskHeartbeat land here and wake the waiting task. An answer that arrives before the
    task waits is kept until it does."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[Any]] = {}
        self._early: dict[str, tuple[str, Any]] = {}
        self._beats: dict[str, asyncio.Event] = {}
        # Activity tasks waiting for a worker: activity ARN -> [(token, input, picked up)].
        self._activities: dict[str, list[tuple[str, str, asyncio.Future[str]]]] = {}

    async def offer_activity(self, activity_arn: str, token: str, input_text: str) -> str:
        """Queue an activity task until a worker takes it (GetActivityTask); the worker's name."""
        picked: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._activities.setdefault(activity_arn, []).append((token, input_text, picked))
        return await picked

    def get_activity_task(self, activity_arn: str, worker_name: str = "") -> tuple[str, str] | None:
        """GetActivityTask: the oldest waiting task of the activity as (token, input), or None."""
        queue = self._activities.get(activity_arn) or []
        while queue:
            token, input_text, picked = queue.pop(0)
            if not picked.done():
                picked.set_result(worker_name)
                return token, input_text
        return None

    def pending(self) -> list[str]:
        return list(self._waiting)

    def offered(self) -> int:
        """Activity tasks waiting for a worker."""
        return sum(1 for queue in self._activities.values() for *_, picked in queue if not picked.done())

    def _answer(self, token: str, kind: str, value: Any) -> bool:
        future = self._waiting.get(token)
        if future is None:
            self._early[token] = (kind, value)
            return False
        if not future.done():
            future.set_result((kind, value))
        return True

    def send_success(self, token: str, output: Any) -> bool:
        return self._answer(token, "success", output)

    def send_failure(self, token: str, error: str | None, cause: str | None) -> bool:
        return self._answer(token, "failure", (error, cause))

    def send_heartbeat(self, token: str) -> bool:
        beat = self._beats.get(token)
        if beat is None:
            return False
        beat.set()
        return True

    async def wait(self, token: str, clock: Clock, timeout: float | None, heartbeat: float | None) -> Any:
        """The task's result, or TaskError / TaskTimeout (heartbeat=True when the heartbeat
        lapsed). Timeouts measure the wait as work in flight (`Clock.wait_until`)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        if token in self._early:
            future.set_result(self._early.pop(token))
        self._waiting[token] = future
        beat = self._beats[token] = asyncio.Event()
        try:
            deadline = None if timeout is None else clock.now() + timedelta(seconds=timeout)
            while not future.done():
                limits = [s for s in (heartbeat,) if s is not None]
                if deadline is not None:
                    limits.append(max(0.0, (deadline - clock.now()).total_seconds()))
                if not limits:
                    await future
                    break
                waiter = asyncio.ensure_future(beat.wait())
                timer = asyncio.ensure_future(clock.wait_until(clock.now() + timedelta(seconds=min(limits))))
                await asyncio.wait({future, waiter, timer}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                timer.cancel()
                if future.done():
                    break
                if beat.is_set():
                    beat.clear()
                    continue
                expired_deadline = deadline is not None and clock.now() >= deadline
                raise TaskTimeout(heartbeat=not expired_deadline)
            kind, value = future.result()
        finally:
            self._waiting.pop(token, None)
            self._beats.pop(token, None)
        if kind == "failure":
            raise TaskError(*value)
        return value


class Effects(Protocol):
    """Everything the engine asks of the world outside it; nothing else is reached."""

    clock: Clock

    def emit(self, event: dict[str, Any]) -> None:
        """An event was added to the history (in order; replayed events are not emitted)."""
        ...

    def new_id(self, key: str) -> str:
        """A new id (task token, request id, map run id) for `key`, unique per execution."""
        ...

    async def invoke(self, request: TaskRequest) -> Any:
        """Run a Task's resource; its JSON answer, or TaskError / TaskTimeout."""
        ...

    async def hold_token(self, token: str, state_name: str) -> None:
        """Make `token` answerable before anything can hand it out (a Lambda function given
        it may answer before it returns)."""
        ...

    async def wait_for_token(self, request: TaskRequest) -> Any:
        """The answer SendTaskSuccess/Failure gives `request.task_token`, or TaskError /
        TaskTimeout (TimeoutSeconds, HeartbeatSeconds)."""
        ...

    @property
    def activity_started(self) -> Callable[[TaskRequest], Awaitable[str]] | None:
        """Wait until a worker takes the activity task (GetActivityTask) and give its name;
        None when these effects cannot see workers take tasks (ActivityStarted is then
        recorded at once and the answer comes through `invoke`)."""
        ...

    def map_run(self, run: MapRun) -> None:
        """A distributed Map's run changed (started, a child changed, finished)."""
        ...

    @property
    def files_root(self) -> Path | None:
        """The folder whose subfolders stand for S3 buckets (ItemReader, ResultWriter)."""
        ...

    @property
    def objects(self) -> ObjectStore | None:
        """S3 itself for ItemReader and ResultWriter (outside the engine); None: the folders
        under `files_root` stand for it."""
        ...
