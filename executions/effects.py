"""The durable Effects the runner gives the engine (DESIGN.md decision 5).

Events the engine emits are gathered and written by one writer per execution, in order: each
batch of events and the checkpoint that follows them commit in one database transaction,
guarded by the lease (a process that lost the lease writes nothing more), and only after the
commit are the live doorbells rung. Token answers (``.waitForTaskToken``, activities) are read
from the database, so an answer given to any process reaches the execution.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from executions import live, notifications
from executions.answers import AnswerLog
from executions.engine.effects import Clock
from executions.engine.items import ObjectStore
from executions.engine.map_runs import MapRun
from executions.engine.tasks import TaskError, TaskRequest, TaskTimeout
from executions.events import EventRow, details_json, event_json
from executions.integrations import Resources
from executions.models import Execution, ExecutionStatus, HistoryEvent, TaskToken, TaskTokenStatus
from executions.services import activities, map_runs, tokens

TERMINAL_EVENTS = {
    "ExecutionSucceeded": ExecutionStatus.SUCCEEDED,
    "ExecutionFailed": ExecutionStatus.FAILED,
    "ExecutionTimedOut": ExecutionStatus.TIMED_OUT,
    "ExecutionAborted": ExecutionStatus.ABORTED,
}
# How often a task waiting for its answer reads the database when no doorbell rings.
TOKEN_POLL_SECONDS = float(os.environ.get("SYMPHONY_TOKEN_POLL_SECONDS") or 1.0)
MAP_RUN_POLL_SECONDS = 1.0


class Doorbell:
    """Rings for one execution: a token answered, UpdateMapRun (in this process or, through a
    shared channel layer, another). Waiters share it: each notes ``rings`` before it reads the
    database and waits only if nothing rang since, so a ring during the read is not lost; a
    ring replaces the event instead of clearing it, so no waiter swallows another's ring."""

    def __init__(self) -> None:
        self.rings = 0
        self._event = asyncio.Event()

    def ring(self) -> None:
        self.rings += 1
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, since: int, timeout: float) -> None:
        """Return at the first ring after ``since`` (at once if one came) or after ``timeout``."""
        if self.rings == since:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout)


def _no_snapshot() -> None:
    return None


class LeaseLost(Exception):
    """Another process owns the execution now (or it was stopped): stop advancing it."""


def _event_row(execution_id: int, event: dict) -> EventRow:
    details = {k: v for k, v in event.items() if k not in {"id", "previousEventId", "type", "timestamp"}}
    stamp = event.get("timestamp")
    return EventRow(
        execution_id,
        event["id"],
        event.get("previousEventId", 0),
        event["type"],
        stamp if isinstance(stamp, datetime) else timezone.now(),
        details,
    )


_EVENT_COLUMNS = ("execution_id", "event_id", "previous_event_id", "type", "timestamp", "details")
_EVENT_BATCH = 500  # rows per statement: within every backend's limit of parameters


def _insert_events(rows: list[EventRow], texts: list[str]) -> None:
    """What ``bulk_create`` does, without compiling each value through its field: the ORM's
    preparation was a third of a commit of Pass states (tests/bench/bench_runner.py). PostgreSQL
    takes them by COPY: an INSERT of that many parameters is parsed anew each time on the client
    (psycopg caches only statements of up to 50), a fifth of a runner's CPU; COPY costs half.
    Elsewhere values are adapted by the backend's own operations, as the fields would. ``texts``:
    each row's details, encoded (``details_json``)."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(HistoryEvent._meta.db_table)
    columns = ", ".join(ops.quote_name(HistoryEvent._meta.get_field(n).column) for n in _EVENT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is psycopg's own, beside Django's wrapper: its errors are made Django's here,
            # so a connection the server ended is retried as any other statement's is.
            with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row, text in zip(rows, texts, strict=True):
                    copy.write_row((*row[:5], text))
            return
        stored_time = time_adapter()
        for start in range(0, len(rows), _EVENT_BATCH):
            batch = zip(rows[start : start + _EVENT_BATCH], texts[start : start + _EVENT_BATCH], strict=True)
            params: list[Any] = []
            for row, text in batch:
                params += (*row[:4], stored_time(row.timestamp), text)
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * (len(params) // 6))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {placeholders}", params)


def time_adapter() -> Callable[[datetime], Any]:
    """The backend's adaptation of a time for a write, with its checks made once per commit, not
    per event (a twentieth of a runner's CPU on SQLite, which stores an aware time as its naive
    text in the connection's zone)."""
    ops = connection.ops
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return ops.adapt_datetimefield_value
    zone = connection.timezone

    def adapt(value: datetime) -> Any:
        if value.tzinfo is None:
            return ops.adapt_datetimefield_value(value)
        return str(value.astimezone(zone).replace(tzinfo=None))

    return adapt


def _update_running(execution_id: int, owner: str, changes: dict[str, Any]) -> int:
    """``Execution.objects.filter(pk=..., status=RUNNING, lease_owner=owner).update(**changes)``
    without the ORM compiling the statement at every commit (a tenth of a runner's CPU in
    bench_runner's workload): one statement per set of columns, values prepared by their fields
    as the ORM would. Returns the rows updated (0: the lease is lost)."""
    fields = [Execution._meta.get_field(name) for name in changes]
    params = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            _update_statement(connection.vendor, tuple(field.column for field in fields)),
            [*params, execution_id, ExecutionStatus.RUNNING, owner],
        )
        return cursor.rowcount


@functools.cache
def _update_statement(vendor: str, columns: tuple[str, ...]) -> str:  # vendor: the cache key
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    return (
        f"UPDATE {quote(Execution._meta.db_table)} SET {assignments}"
        f" WHERE {quote('id')} = %s AND {quote('status')} = %s AND {quote('lease_owner')} = %s"
    )


def stop_time(events: list[dict]) -> datetime:
    """An execution's stopDate: its end event's time, as on AWS (not its commit's, a moment
    later)."""
    stamp = events[-1].get("timestamp") if events else None
    return stamp if isinstance(stamp, datetime) else timezone.now()


def commit_transition(
    execution_id: int,
    owner: str,
    events: list[dict],
    checkpoint: Any,
    outcome: dict | None = None,
    progress: list[tuple[str, dict | None, list[dict]]] = (),
    expire_tokens: bool = True,
) -> int:
    """Write ``events``, ``checkpoint`` and the map runs' progress (and, at the end, the
    outcome) in one transaction, only while ``owner`` holds the lease of the still-running
    execution. Returns the last event id. At the end,
    its callbacks still pending expire (``expire_tokens``: unless it is known to have none).

    Inside another transaction (a group's) it takes no savepoint of its own: a lost lease
    writes nothing and leaves the transaction sound; any other failure spoils it all."""
    with transaction.atomic(savepoint=False):
        final_id = _write_transition(
            execution_id, owner, events, checkpoint, outcome, progress, expire_tokens
        )
    if final_id is None:
        raise LeaseLost(execution_id)
    return final_id


def _write_transition(
    execution_id: int,
    owner: str,
    events: list[dict],
    checkpoint: Any,
    outcome: dict | None,
    progress: list[tuple[str, dict | None, list[dict]]],
    expire_tokens: bool,
) -> int | None:
    """commit_transition's writes; None, having written nothing, if the lease is lost."""
    last_id = max((e["id"] for e in events), default=None)
    changes: dict[str, Any] = {"checkpoint": checkpoint}
    if last_id is not None:
        changes["last_event_id"] = last_id
    if outcome is not None:
        changes.update(outcome)
        changes.update(lease_owner="")
        changes.setdefault("stopped_at", stop_time(events))
    if not _update_running(execution_id, owner, changes):
        return None
    # Each event is encoded once: the database stores the text, the live frame is built on it.
    rows = [_event_row(execution_id, e) for e in events]
    texts = [details_json(row.details) for row in rows]
    child_rows, child_texts, children = [], [], []
    if progress:
        parent = Execution.objects.get(pk=execution_id)
        for arn, summary, changed in progress:
            for child, child_events in map_runs.save_progress(parent, arn, summary, changed):
                new = [_event_row(child.pk, e) for e in child_events]
                new_texts = [details_json(row.details) for row in new]
                child_rows += new
                child_texts += new_texts
                if new:
                    children.append((child.pk, child.last_event_id, child.status, new, new_texts))
    _insert_events(rows + child_rows, texts + child_texts)
    if outcome is not None and expire_tokens:
        # Callbacks still pending can no longer be answered.
        TaskToken.objects.filter(execution_id=execution_id, status=TaskTokenStatus.PENDING).update(
            status=TaskTokenStatus.TIMED_OUT
        )
    status = outcome["status"] if outcome else ExecutionStatus.RUNNING
    final_id = last_id if last_id is not None else Execution.objects.get(pk=execution_id).last_event_id
    carried = _carried(rows, texts)
    transaction.on_commit(lambda: live.publish(execution_id, final_id, status, carried))
    # A map run's child executions are watched live like any other.
    for child_id, child_last, child_status, new, new_texts in children:
        child_carried = _carried(new, new_texts)
        transaction.on_commit(partial(live.publish, child_id, child_last, child_status, child_carried))
    return final_id


def _carried(rows: list[EventRow], texts: list[str]) -> live.Carried | None:
    """A commit's events as they ride its ring: the first id and the frame."""
    if not rows:
        return None
    frame = live.encoded_frame([event_json(row, text) for row, text in zip(rows, texts, strict=True)])
    return live.Carried(rows[0].event_id, frame)


def commit_group(commits: list[tuple]) -> list[Any]:
    """``commit_transition`` for several executions in one transaction: one commit (one fsync,
    one write lock) for all the executions that reached a durable point meanwhile; each gets its
    last event id or its exception. One whose lease was lost wrote nothing and the others go on.
    Savepoints would let any other failure spare the rest, at two statements an execution; the
    rare failure instead has each commit again alone."""
    # Rows are written in execution order, as every statement that updates several executions
    # locks them (PostgreSQL's index order): two such transactions never wait on each other.
    order = sorted(range(len(commits)), key=lambda i: commits[i][0])
    try:
        with transaction.atomic():
            results: list[Any] = [None] * len(commits)
            for i in order:
                results[i] = _or_lease_lost(commits[i])
            return results
    except (InterfaceError, OperationalError):
        raise  # the connection is gone: the whole group is retried on a new one
    except Exception:
        if len(commits) == 1:
            raise
    results = [None] * len(commits)
    for i in order:
        results[i] = _or_failure(commits[i])
    return results


def _or_lease_lost(args: tuple) -> Any:
    try:
        return commit_transition(*args)
    except LeaseLost as lost:
        return lost


def _or_failure(args: tuple) -> Any:
    try:
        return commit_transition(*args)
    except (InterfaceError, OperationalError):
        raise
    except Exception as exc:
        return exc


def stored_events(execution_id: int) -> list[dict]:
    """The committed history in the checkpoint's event form (ISO timestamps)."""
    return [_stored(e) for e in HistoryEvent.objects.filter(execution_id=execution_id).order_by("event_id")]


def stored_histories(execution_ids: list[int]) -> dict[int, list[dict]]:
    """``stored_events`` of several executions in one query (a batch resumed together)."""
    histories: dict[int, list[dict]] = {pk: [] for pk in execution_ids}
    rows = HistoryEvent.objects.filter(execution_id__in=execution_ids).order_by("execution_id", "event_id")
    for e in rows:
        histories[e.execution_id].append(_stored(e))
    return histories


def _stored(e: HistoryEvent) -> dict:
    return {
        "timestamp": e.timestamp.isoformat(),
        "type": e.type,
        "id": e.event_id,
        "previousEventId": e.previous_event_id,
        **e.details,
    }


def register_token(
    execution_id: int, token: str, state_name: str, activity_arn: str | None, task_input: str
) -> None:
    activity = None
    if activity_arn:  # an activity of the execution's own account
        account = Execution.objects.values_list("account_id", flat=True).get(pk=execution_id)
        activity = activities.get_activity(activity_arn, account)
    row, created = TaskToken.objects.get_or_create(
        token=token,
        defaults={
            "execution_id": execution_id,
            "state_name": state_name,
            "activity": activity,
            "task_input": task_input,
        },
    )
    if created and activity is None:
        # A callback a person answers: the reviewers hear of it once the token is stored.
        transaction.on_commit(lambda: notifications.approval_requested(row))


def token_row(token: str) -> TaskToken | None:
    return TaskToken.objects.filter(token=token).first()


def expire_token(token: str) -> None:
    TaskToken.objects.filter(token=token, status=TaskTokenStatus.PENDING).update(
        status=TaskTokenStatus.TIMED_OUT
    )


class DurableEffects:
    """Effects backed by the database. ``db`` runs a blocking function in the runner's
    database thread and returns an awaitable of its result."""

    def __init__(
        self,
        *,
        execution: Execution,
        owner: str,
        db: Callable[..., Any],
        resources: Resources,
        clock: Clock,
        checkpoint: Callable[[], Any] | None = None,
        wake: Doorbell | None = None,
        commit: Callable[..., Any] | None = None,
        at_end_only: bool = False,
    ) -> None:
        self.execution_id = execution.pk
        # Whether callbacks of this execution may be pending at its end: one was handed out
        # here, or by a run before this one (a resume, a redrive). A run of Pass states need not
        # expire what it never had (that UPDATE was a twelfth of a runner's CPU).
        self.may_hold_tokens = execution.last_event_id > 0
        # Commit only at the end (or where the run must, before a token is handed out): for
        # a run never resumed from its rows.
        self.at_end_only = at_end_only
        self.owner = owner
        self.db = db
        # ``commit_transition``'s arguments -> an awaitable of its result; the runner groups
        # the commits of its executions (commit_group).
        self.commit = commit or self._commit_alone
        self.resources = resources
        self.clock = clock
        self.snapshot = checkpoint or _no_snapshot
        # The snapshot's answers already committed with event rows (executions.answers).
        self.answers = AnswerLog()
        self.wake = wake or Doorbell()
        self.pending: list[dict] = []
        self.flushing: asyncio.Task | None = None
        self.failed: BaseException | None = None
        # Held by each commit; a token row written under it commits before the next events.
        self.writing = asyncio.Lock()
        # Map runs of this execution by ARN, and the ones with progress not yet committed.
        self.map_runs: dict[str, MapRun] = {}
        self.map_runs_changed: set[str] = set()
        self.map_run_watch: asyncio.Task | None = None
        # The outcome committed at the end (status, output, error, cause, checkpoint, stopped_at).
        self.ended: dict | None = None

    def close(self) -> None:
        """The run is over: let go of the engine. The engine and its effects refer to each other
        (this snapshot), so an ended run was garbage only the cyclic collector found: with
        thousands in flight its full passes took 100 ms and more, and every timer due meanwhile
        fired that late (tests/bench/bench_timers.py)."""
        self.snapshot = _no_snapshot

    # -- the engine's interface (executions.engine.effects.Effects) ------------------------------
    # Workers take activity tasks from the database (GetActivityTask in any process): the
    # engine records ActivityStarted at once and the answer comes through `invoke`.
    activity_started = None

    @property
    def files_root(self) -> Path | None:
        return self.resources.files_root

    @property
    def objects(self) -> ObjectStore | None:
        return self.resources.objects

    def emit(self, event: dict) -> None:
        self.pending.append(event)
        if self.at_end_only:
            return
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.get_running_loop().create_task(self._flush_later())

    def map_run(self, run: MapRun) -> None:
        """A map run changed: its progress commits with the next events; while it runs, its
        settings are watched for UpdateMapRun."""
        self.map_runs[run.arn] = run
        self.map_runs_changed.add(run.arn)
        if run.status == "RUNNING" and (self.map_run_watch is None or self.map_run_watch.done()):
            self.map_run_watch = asyncio.get_running_loop().create_task(self._watch_map_runs())
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.get_running_loop().create_task(self._flush_later())

    def new_id(self, key: str | None = None) -> str:
        # The engine journals ids by key in its checkpoint; a fresh one is random.
        return str(uuid.uuid4())

    async def invoke(self, request: TaskRequest) -> Any:
        if request.target.kind == "activity":
            return await self._activity(request)
        return await self.resources.invoke(request, self)

    async def hold_token(self, token: str, state_name: str = "") -> None:
        """Store the token before anything can hand it out: called as the task is scheduled,
        before the history that shows it (TaskScheduled) commits and before a Lambda function
        that receives it runs, so an answer to it always finds it."""
        self.may_hold_tokens = True
        async with self.writing:
            await self.db(register_token, self.execution_id, token, state_name, None, "")

    async def wait_for_token(self, token: str | TaskRequest, heartbeat_seconds: float | None = None) -> Any:
        """Pause until SendTaskSuccess/Failure answers the token; holds no thread meanwhile."""
        state_name, timeout = "", None
        if isinstance(token, TaskRequest):
            request = token
            token, heartbeat_seconds = request.task_token, request.heartbeat_seconds
            state_name, timeout = request.state_name, request.timeout_seconds
        await self.hold_token(token, state_name)
        await self.flush()
        return await self._await_answer(token, heartbeat_seconds, timeout)

    # -- writing -------------------------------------------------------------------------------
    def _commit_alone(self, *args: Any) -> Any:
        return self.db(commit_transition, *args)

    async def _flush_later(self) -> None:
        # Let the engine finish its current step so one transition's events commit together.
        await asyncio.sleep(0)
        await self.flush()
        # What arrived during that commit goes in the next one, not after the next event.
        while self.pending or self.map_runs_changed:
            await self.flush()

    async def flush(self, outcome: dict | None = None) -> None:
        async with self.writing:
            await self._flush(outcome)

    async def _flush(self, outcome: dict | None = None) -> None:
        if self.failed is not None:
            raise LeaseLost(self.execution_id) from self.failed
        events, self.pending = self.pending, []
        changed, self.map_runs_changed = self.map_runs_changed, set()
        if not events and not changed and outcome is None:
            return
        if outcome is not None:
            outcome = {**outcome, "stopped_at": stop_time(events)}
        progress = [(arn, *self.map_runs[arn].take_changes()) for arn in sorted(changed)]
        events, snapshot, answers = self.answers.split(events, self.snapshot())
        try:
            await self.commit(
                self.execution_id,
                self.owner,
                events,
                snapshot,
                outcome,
                progress,
                self.may_hold_tokens,
            )
        except LeaseLost as exc:
            self.failed = exc
            raise
        self.answers.mark(answers)
        if outcome is not None:
            self.ended = outcome

    async def finish(self, outcome: dict) -> None:
        """Commit the last events with the execution's outcome, in one transaction: a run
        with no pause in between (all Pass states) commits once, not events then outcome. A
        commit under way ends first (the writing lock); the pending flush then finds nothing."""
        await self.flush(outcome)
        if self.flushing is not None:
            await self.flushing

    # -- map runs ------------------------------------------------------------------------------
    async def _watch_map_runs(self) -> None:
        """Apply UpdateMapRun's settings to the running map runs: looked up when the execution
        is woken (UpdateMapRun in this process) or every MAP_RUN_POLL_SECONDS. A resumed run
        takes the settings changed before the restart at once."""
        while running := [run for run in self.map_runs.values() if run.status == "RUNNING"]:
            seen = self.wake.rings
            stored = await self.db(map_runs.settings_of, [run.arn for run in running])
            for run in running:
                current = run.settings()
                if run.arn in stored and stored[run.arn] != current:
                    run.update(
                        *(
                            new if new != old else None
                            for new, old in zip(stored[run.arn], current, strict=True)
                        )
                    )
            await self.wake.wait(seen, MAP_RUN_POLL_SECONDS)

    # -- callbacks -----------------------------------------------------------------------------
    async def _activity(self, request: TaskRequest) -> Any:
        # The request id is journaled by the engine: a resumed run re-offers the same task.
        token = request.task_token or request.request_id or tokens.new_task_token()
        await self.flush()
        self.may_hold_tokens = True
        await self.db(
            register_token,
            self.execution_id,
            token,
            request.state_name,
            request.target.resource,
            json.dumps(request.input),
        )
        return await self._await_answer(token, request.heartbeat_seconds, request.timeout_seconds)

    async def _await_answer(self, token: str, heartbeat: float | None, timeout: float | None) -> Any:
        """The answer to ``token`` from the database (woken early by ``notify``), or TaskTimeout
        when TimeoutSeconds or HeartbeatSeconds pass on the execution's clock."""
        clock = self.clock
        deadline = clock.now() + timedelta(seconds=timeout) if timeout else None
        beat_deadline = clock.now() + timedelta(seconds=heartbeat) if heartbeat else None
        last_beat = None
        try:
            while True:
                seen = self.wake.rings
                row = await self.db(token_row, token)
                if row is not None and row.status != TaskTokenStatus.PENDING:
                    break
                if row is not None and row.heartbeat_at != last_beat:
                    last_beat = row.heartbeat_at
                    if heartbeat and last_beat is not None:
                        beat_deadline = clock.now() + timedelta(seconds=heartbeat)
                limits = [d for d in (deadline, beat_deadline) if d is not None]
                left = min((d - clock.now()).total_seconds() for d in limits) if limits else None
                if left is not None and left <= 0:
                    await self.db(expire_token, token)
                    raise TaskTimeout(heartbeat=beat_deadline is not None and min(limits) == beat_deadline)
                # A pending answer is work in flight: it runs on real time at every time scale.
                pause = TOKEN_POLL_SECONDS if left is None else min(TOKEN_POLL_SECONDS, left)
                await self.wake.wait(seen, pause)
        except asyncio.CancelledError:
            # The execution was stopped: its token can no longer be answered.
            await asyncio.shield(self.db(expire_token, token))
            raise
        if row.status == TaskTokenStatus.SUCCEEDED:
            return json.loads(row.output or "null")
        if row.status == TaskTokenStatus.FAILED:
            raise TaskError(row.error or "", row.cause)
        raise TaskTimeout()
