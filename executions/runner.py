"""The dispatcher: where executions run. One interface (``submit``, ``notify``, ``stop``) and
one runner: executions run as asyncio tasks on a loop of their own (a daemon thread), so a Wait
or a pending callback holds no thread. ``SYMPHONY_RUNNER`` says where that loop lives:
``embedded`` (the default) in each web process; ``off`` in none of them, the executions then
run in ``manage.py runner`` processes, one of which takes each start from a work queue on the
shared channel layer (the runners' scan of the database is the fallback).

With a channel layer shared between processes (Redis), ``notify`` also rings the other
processes' runners, so a token answered in one process wakes the execution another runs at
once; without one (or when the layer drops the ring) the waiting runner's database poll
finds the answer within a second. The database is the record, the layer only a doorbell.

Leases keep two processes from advancing one execution: a runner claims a RUNNING execution
by a conditional update (its owner name), holds it while its heartbeat lives (one row renewed
every scan, however many executions wait here), and every commit of the run checks the lease.
A supervisor claims, in batches (``SKIP LOCKED`` on PostgreSQL), every RUNNING execution
nobody holds or a dead runner held: a restarted app resumes what was running, and a killed
runner's executions are taken over within one lease (``SYMPHONY_LEASE_SECONDS``, 10 s) plus
one scan (``SYMPHONY_SCAN_SECONDS``, 1 s).

What this module does not do: decide state semantics (``executions.engine``), or write rows
itself (``executions.services`` and ``executions.effects``).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone

from designer.asl import build_state_machine_from_text
from executions import answers, arns, functions, live
from executions.effects import (
    Doorbell,
    DurableEffects,
    LeaseLost,
    commit_group,
    stored_events,
    stored_histories,
)
from executions.engine import checkpoint
from executions.engine.effects import Clock
from executions.engine.history import ReplayDiverged
from executions.engine.interpreter import Execution as EngineExecution
from executions.engine.interpreter import ExecutionInfo
from executions.engine.version import ENGINE_VERSION
from executions.models import Execution, ExecutionStatus, StateMachineType
from executions.services import executions, leases
from symphony.db.threads import in_thread

logger = logging.getLogger(__name__)
CLAIM_BATCH = 200  # executions claimed in one statement
COMMIT_BATCH = 100  # executions' commits in one transaction
SHORT_HISTORY = 200  # events: histories up to this long are read a claimed batch at once
# Heartbeats of runners dead this long that hold nothing any more are deleted, every so many scans.
FORGET_AFTER, FORGET_EVERY = timedelta(days=1), 600

WAKE_GROUP = "symphony.runner.wake"
# Starts for the runner processes: a work queue, so one runner hears each (not all of them,
# each then racing to claim it).
SUBMIT_CHANNEL = "symphony.runner.submit"

TERMINAL = {
    ExecutionStatus.SUCCEEDED,
    ExecutionStatus.FAILED,
    ExecutionStatus.TIMED_OUT,
    ExecutionStatus.ABORTED,
}


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(name) or getattr(settings, name, default))


def _shared_layer() -> Any:
    """The channel layer if other processes hear it too (the in-memory one stays in here)."""
    layer = get_channel_layer()
    return None if layer is None or isinstance(layer, InMemoryChannelLayer) else layer


class Dispatcher(Protocol):
    def submit(self, execution_id: int) -> None: ...

    def notify(self, execution_id: int) -> None: ...

    def stop(self, execution_id: int) -> None: ...


class EmbeddedRunner:
    """Runs executions on its own event loop, in a daemon thread of this process."""

    def __init__(self, *, lease_seconds: float, scan_seconds: float, time_scale: float) -> None:
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_seconds = lease_seconds
        self.scan_seconds = scan_seconds
        # Until when (time.monotonic()) this runner's heartbeat is surely alive: the start of
        # its last renewal plus the lease. Starts are claimed as they are inserted only then.
        self.alive_until = 0.0
        self.scans = 0
        self.time_scale = time_scale
        self.loop: asyncio.AbstractEventLoop | None = None
        self.runs: dict[int, asyncio.Task] = {}
        self.wakes: dict[int, Doorbell] = {}
        # SQLite has one writer: one database thread avoids lock contention; other
        # databases get a few.
        self.workers = 1 if connection.vendor == "sqlite" else 4
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="symphony-runner-db")
        # Heartbeats and claims never queue behind commits: under load they waited past the
        # lease and the runner lost executions it was running. SQLite's one writer shares its thread.
        self.lease_pool = (
            self.pool
            if self.workers == 1
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="symphony-runner-leases")
        )
        self._ready = threading.Event()
        self.thread: threading.Thread | None = None
        self.doorbell: asyncio.Task | None = None
        self.submits: asyncio.Task | None = None
        # Submitted executions waiting for the next batched claim (a dict keeps their order).
        self.to_claim: dict[int, None] = {}
        self.claimer: asyncio.Task | None = None
        # Who waits for an execution's run here to end (StartSyncExecution), by execution.
        self.ends: dict[int, list[concurrent.futures.Future]] = {}
        # Commits waiting for the next group (each with the future its execution awaits).
        self.commits: list[tuple[tuple, asyncio.Future]] = []
        self.committer: asyncio.Task | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self.thread is not None:
            return
        self.thread = threading.Thread(target=self._main, name="symphony-runner", daemon=True)
        self.thread.start()
        self._ready.wait(10)

    def _main(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.supervisor = self.loop.create_task(self._supervise())
        layer = _shared_layer()
        self.doorbell = self.loop.create_task(self._listen(layer)) if layer is not None else None
        self.submits = self.loop.create_task(self._take_submits(layer)) if layer is not None else None
        self._ready.set()
        self.loop.run_forever()
        self.loop.close()

    def shutdown(self) -> None:
        """Stop running here and release the leases, so another process resumes at once. The
        release runs in the calling thread: at interpreter exit, executors take no more work."""
        if self.loop is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._cancel_all(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        pools = [(self.pool, self.workers)]
        if self.lease_pool is not self.pool:
            pools.append((self.lease_pool, 1))
        for pool, workers in pools:
            _close_connections(pool, workers)
            pool.shutdown(wait=False, cancel_futures=True)
        leases.release_leases(self.owner)

    async def _cancel_all(self) -> None:
        self.supervisor.cancel()
        for task in (self.claimer, self.committer):
            if task is not None:
                task.cancel()
        for listener in (self.doorbell, self.submits):
            if listener is not None:
                listener.cancel()
        for task in list(self.runs.values()):
            task.cancel()
        await asyncio.gather(*self.runs.values(), return_exceptions=True)

    # -- database access from the loop -------------------------------------------------------
    async def db(self, fn, *args, **kwargs) -> Any:
        return await self.loop.run_in_executor(self.pool, partial(_in_db_thread, fn, *args, **kwargs))

    async def commit(self, *args) -> Any:
        """``commit_transition`` with whatever else is ready: executions reaching a durable
        point together commit in one transaction (a flood of due timers is a few commits, not
        one each behind the others)."""
        future = self.loop.create_future()
        self.commits.append((args, future))
        if self.committer is None or self.committer.done():
            self.committer = self.loop.create_task(self._commit_pending())
        return await future

    async def _commit_pending(self) -> None:
        while self.commits:
            batch, self.commits = self.commits[:COMMIT_BATCH], self.commits[COMMIT_BATCH:]
            try:
                results = await self.db(commit_group, [args for args, _ in batch])
            except Exception as exc:  # the group's transaction failed: each execution hears it
                results = [exc] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    async def lease_db(self, fn, *args, **kwargs) -> Any:
        return await self.loop.run_in_executor(self.lease_pool, partial(_in_db_thread, fn, *args, **kwargs))

    # -- the interface ------------------------------------------------------------------------
    def submit(self, execution_id: int) -> None:
        self.loop.call_soon_threadsafe(self._claim_soon, execution_id)

    def run_claimed(self, execution: Execution) -> None:
        """Run an execution this runner's lease was taken for as it was inserted."""
        self.loop.call_soon_threadsafe(self._run, execution)

    def watch_end(self, execution_id: int) -> concurrent.futures.Future:
        """A future set when this runner's run of the execution ends (its outcome committed).
        Asked before the submit, it is in place before the run can end; a run claimed by
        another process never sets it (the caller reads the database too)."""
        ended: concurrent.futures.Future = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(lambda: self.ends.setdefault(execution_id, []).append(ended))
        return ended

    def forget_end(self, execution_id: int, ended: concurrent.futures.Future) -> None:
        def forget() -> None:
            waiting = self.ends.get(execution_id, [])
            if ended in waiting:
                waiting.remove(ended)
            if not waiting:
                self.ends.pop(execution_id, None)

        self.loop.call_soon_threadsafe(forget)

    def notify(self, execution_id: int) -> None:
        """Something changed for this execution (a token answer, a stop): look now."""

        def wake() -> None:
            if (bell := self.wakes.get(execution_id)) is not None:
                bell.ring()

        self.loop.call_soon_threadsafe(wake)

    def stop(self, execution_id: int) -> None:
        def cancel() -> None:
            if (task := self.runs.get(execution_id)) is not None:
                task.cancel()

        self.loop.call_soon_threadsafe(cancel)

    # -- the doorbell from other processes --------------------------------------------------
    async def _listen(self, layer: Any) -> None:
        """Wake the executions this process runs when another process rings for them. The
        group membership is renewed well before the layer's group expiry."""
        renew_every = min(600.0, getattr(layer, "group_expiry", 86400) / 2)
        while True:
            try:
                channel = await layer.new_channel()
                await layer.group_add(WAKE_GROUP, channel)
                renewed = self.loop.time()
                while True:
                    if self.loop.time() - renewed > renew_every:
                        await layer.group_add(WAKE_GROUP, channel)
                        renewed = self.loop.time()
                    with contextlib.suppress(TimeoutError):
                        self._heard(await asyncio.wait_for(layer.receive(channel), renew_every))
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("runner doorbell unavailable; the database poll answers", exc_info=True)
                await asyncio.sleep(max(self.scan_seconds, 1.0))

    async def _take_submits(self, layer: Any) -> None:
        """Claim the starts web processes that run nothing send to the runners' work queue."""
        while True:
            try:
                self._heard(await layer.receive(SUBMIT_CHANNEL))
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("runner work queue unavailable; the database scan answers", exc_info=True)
                await asyncio.sleep(max(self.scan_seconds, 1.0))

    def _heard(self, message: dict) -> None:
        for each in live.unbatched(message):
            execution_id = each.get("execution_id")
            if each.get("type") == "runner.submit":
                self._claim_soon(execution_id)
            elif (bell := self.wakes.get(execution_id)) is not None:
                bell.ring()

    # -- supervision ----------------------------------------------------------------------------
    async def _supervise(self) -> None:
        while True:
            more = False
            try:
                began = time.monotonic()
                lapsed = await self.lease_db(leases.beat, self.owner, self.lease_seconds)
                self.alive_until = began + self.lease_seconds
                self._claim_waiting()  # starts submitted before the first heartbeat
                if lapsed and self.runs:
                    # Others may have taken some over meanwhile: stop advancing those.
                    for execution_id in await self.lease_db(leases.still_held, self.owner, list(self.runs)):
                        if (task := self.runs.get(execution_id)) is not None:
                            task.cancel()
                more = await self._take_orphans()
                await self.lease_db(executions.fail_stranded_express, self.owner)
                if self.scans % FORGET_EVERY == 0:
                    await self.lease_db(leases.forget_dead_runners, FORGET_AFTER)
                self.scans += 1
            except (InterfaceError, OperationalError) as exc:
                # Claim nothing while the database is away; the heartbeat lapses and the
                # executions held here are taken over if this lasts (by another runner, or by
                # this one once back).
                logger.error("runner %s cannot reach the database (%s); not claiming", self.owner, exc)
            except Exception:
                logger.exception("runner supervision failed; retrying")
            if not more:
                await asyncio.sleep(self.scan_seconds)

    async def _take_orphans(self) -> bool:
        """Claim unowned executions a batch at a time for up to one scan's time, so a killed
        runner's thousands are taken over as fast as they resume, not a batch per scan (10,000
        took 100 scans). Each batch waits for the one before it to be resumed: its histories
        are read (by the claimer, or a long one as its run begins) before more are claimed, so
        the commits of running executions never queue behind more than a batch of reads.
        Returns whether more may
        wait (the time ran out, not the orphans): the next scan then follows at once."""
        until = self.loop.time() + self.scan_seconds
        while True:
            found = await self.lease_db(leases.claim_orphans, self.owner, CLAIM_BATCH)
            for execution_id in found:
                self._claim_soon(execution_id)
            if len(found) < CLAIM_BATCH:
                return False
            if self.claimer is not None:
                await asyncio.shield(self.claimer)
            # Queued behind the long histories' reads, asked for as those runs began.
            await self.db(_nothing)
            if self.loop.time() >= until:
                return True

    def _claim_soon(self, execution_id: int) -> None:
        """Claim it with whatever else arrives meanwhile (on the loop's thread): one statement
        claims a batch, so a flood of starts does not queue a claim each ahead of the commits of
        running executions (their due timers) on the database threads."""
        if execution_id in self.runs:
            return
        self.to_claim[execution_id] = None
        self._claim_waiting()

    def alive(self) -> bool:
        """Whether this runner's heartbeat is surely alive. It claims only then: an execution
        claimed for a heartbeat not yet made would be nobody's to take over if this died."""
        return time.monotonic() < self.alive_until

    def _claim_waiting(self) -> None:
        if self.to_claim and self.alive() and (self.claimer is None or self.claimer.done()):
            self.claimer = self.loop.create_task(self._claim_pending())

    async def _claim_pending(self) -> None:
        while self.to_claim and self.alive():
            batch = list(self.to_claim)[:CLAIM_BATCH]
            for pk in batch:
                del self.to_claim[pk]
            try:
                claimed = await self.db(
                    leases.claim_executions,
                    [pk for pk in batch if pk not in self.runs],
                    self.owner,
                )
            except (InterfaceError, OperationalError) as exc:
                # Unclaimed, they are orphans: the next scan claims them once the database is back.
                logger.error("runner %s could not claim %d executions (%s)", self.owner, len(batch), exc)
                continue
            # The short histories of those to resume are read together; a long one alone, as
            # its run begins (a batch of them at once could be millions of events).
            short = [e.pk for e in claimed if _replays(e) and e.last_event_id <= SHORT_HISTORY]
            try:
                histories = await self.db(stored_histories, short) if short else {}
            except (InterfaceError, OperationalError):
                histories = {}  # each run reads its own
            for execution in claimed:
                self._run(execution, histories.get(execution.pk))

    def _run(self, execution: Execution, recorded: list[dict] | None = None) -> None:
        """Run it here; ``recorded``: its history, read already (else read as it begins)."""
        if execution.pk in self.runs:
            return
        self.wakes[execution.pk] = Doorbell()
        task = self.loop.create_task(self._drive(execution, recorded))
        self.runs[execution.pk] = task
        task.add_done_callback(lambda done: self._ended(execution.pk, done))

    def _ended(self, execution_id: int, done: asyncio.Task) -> None:
        self.runs.pop(execution_id, None)
        self.wakes.pop(execution_id, None)
        committed = None if done.cancelled() or done.exception() is not None else done.result()
        for ended in self.ends.pop(execution_id, []):
            if not ended.done():
                ended.set_result(committed)

    async def _drive(self, execution: Execution, recorded: list[dict] | None = None) -> dict | None:
        """Run (or resume, by the engine's replay of the committed history) one execution.
        Returns the outcome its end committed (None if this run did not end it)."""
        if recorded is None:
            recorded = await self.db(stored_events, execution.pk) if _replays(execution) else []
        # A resumed run's clock continues from its last event (ahead of the wall clock when
        # the execution runs faster than real time).
        start = max([timezone.now(), *(datetime.fromisoformat(e["timestamp"]) for e in recorded[-1:])])
        effects: DurableEffects | None = None
        try:
            # Built once per definition: the model is immutable, and the engine never mutates
            # what it shares.
            machine = build_state_machine_from_text(execution.definition)
            effects = DurableEffects(
                execution=execution,
                owner=self.owner,
                db=self.db,
                # A machine that calls no resource (all Pass, Choice, Wait...) reads nothing for it.
                resources=(
                    await self.db(functions.resources, execution.account_id, execution.pk)
                    if machine.calls_resources()
                    else functions.resources(execution.account_id, execution.pk, calls=False)
                ),
                clock=Clock(self.time_scale, start),
                wake=self.wakes[execution.pk],
                commit=self.commit,
                # An express run is never resumed (AWS runs those at most once): nothing is
                # replayed from its rows, so it commits once, at its end.
                at_end_only=execution.type == StateMachineType.EXPRESS,
            )
            if recorded:
                saved = execution.checkpoint or _first_checkpoint(execution)
                recorded, logged = answers.gather(recorded)
                # Answers logged with the rows, then the newer ones of a commit without events.
                unlogged = answers.unlogged(saved)
                results = {**logged, **unlogged}
                engine = checkpoint.resume(
                    machine, {**saved, "events": recorded, "results": results}, effects
                )
                effects.answers = answers.AnswerLog(
                    {key: engine.results[key] for key in logged if key not in unlogged}
                )
            else:
                engine = EngineExecution(
                    machine, execution.input, effects, _info(execution), started=execution.started_at
                )
            effects.snapshot = partial(_checkpoint_of, engine)
            outcome = await engine.run()
            await effects.finish(
                {
                    "status": outcome.status,
                    "output": outcome.output_text,
                    "error": outcome.error,
                    "cause": outcome.cause,
                    # A stopped execution keeps it: a redrive replays it.
                    "checkpoint": None if outcome.status == "SUCCEEDED" else _checkpoint_of(engine),
                }
            )
            return effects.ended
        except (LeaseLost, asyncio.CancelledError):
            return
        except ReplayDiverged as exc:
            # This engine would write another history than the one committed: going on would
            # corrupt it. The execution fails, saying where (DESIGN.md decision 5).
            logger.error("execution %s diverged on resume: %s", execution.arn, exc)
            cause = (
                f"The execution cannot resume: replaying its history with this version of Symphony "
                f"(engine {ENGINE_VERSION}) diverged at {exc}."
            )
            await self.db(executions.fail_execution, execution.pk, "States.Runtime", cause)
        except Exception as exc:
            logger.exception("execution %s failed inside the runner", execution.arn)
            cause = f"The runner could not advance this execution: {type(exc).__name__}: {exc}"
            await self.db(executions.fail_execution, execution.pk, "States.Runtime", cause)
        finally:
            if effects is not None:
                effects.close()


def _replays(execution: Execution) -> bool:
    """Whether a run of it replays a committed history: one with a checkpoint, and a redrive
    (even of an execution stopped before its first commit)."""
    return execution.checkpoint is not None or execution.redrive_count > 0


def _info(execution: Execution) -> ExecutionInfo:
    parsed = arns.parse(execution.arn)
    return ExecutionInfo(
        execution_arn=execution.arn,
        state_machine_arn=execution.version_arn or execution.state_machine_arn,
        name=execution.name,
        state_machine_name=execution.state_machine_name,
        role_arn=execution.role_arn,
        region=parsed.region,
        account=parsed.account,
        redrive_count=execution.redrive_count,
    )


def _first_checkpoint(execution: Execution) -> dict:
    """The checkpoint of an execution before its first transition (no answers yet)."""
    return {
        "version": checkpoint.VERSION,
        "engine": ENGINE_VERSION,
        "info": asdict(_info(execution)),
        "input": execution.input,
        "seed": 0,
        "results": {},
    }


def _checkpoint_of(engine: EngineExecution) -> dict:
    """The engine's checkpoint without its copy of the history: the events are rows already,
    committed in the same transaction, and a resume reads them back."""
    return checkpoint.take(engine, with_events=False)


def _close_connections(pool: ThreadPoolExecutor, workers: int) -> None:
    """Close each of the pool's threads' connection: an open one keeps SQLite's shared database
    locked after the runner stops. A barrier puts one close on every worker thread."""
    barrier = threading.Barrier(workers)

    def close() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(5)
        connections.close_all()

    try:
        futures = [pool.submit(close) for _ in range(workers)]
    except RuntimeError:  # at interpreter exit executors take no more work; nothing to close
        return
    for future in futures:
        with contextlib.suppress(Exception):
            future.result(10)


def _nothing() -> None:
    return None


def _in_db_thread(fn, *args, **kwargs) -> Any:
    try:
        return fn(*args, **kwargs)
    except (InterfaceError, OperationalError):
        # A connection the database dropped (a restart, an idle timeout): reconnect once.
        close_old_connections()
        connection.close()
        return fn(*args, **kwargs)


_runner: EmbeddedRunner | None = None
_runner_lock = threading.Lock()


def runs_here() -> bool:
    """Whether this process runs executions: a web process unless ``SYMPHONY_RUNNER=off``, and
    always a ``manage.py runner`` process (it sets ``SYMPHONY_RUNNER=process``)."""
    return os.environ.get("SYMPHONY_RUNNER", "embedded") != "off"


def dispatcher() -> EmbeddedRunner:
    """This process's runner, started on first use."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = EmbeddedRunner(
                lease_seconds=_setting("SYMPHONY_LEASE_SECONDS", 10.0),
                scan_seconds=_setting("SYMPHONY_SCAN_SECONDS", 1.0),
                time_scale=_setting("SYMPHONY_TIME_SCALE", 1.0),
            )
            _runner.start()
            # A clean stop releases the leases, so the next process resumes at once.
            atexit.register(shutdown)
        return _runner


def start_embedded() -> None:
    """Start the embedded runner with the app (``SYMPHONY_RUNNER=off`` leaves it out)."""
    if runs_here():
        dispatcher()


def shutdown() -> None:
    global _runner
    with _runner_lock:
        if _runner is not None:
            try:
                _runner.shutdown()
            finally:
                _runner = None


# ---- calls from requests (any thread) -------------------------------------------------------------


def submit(execution_id: int) -> None:
    """Run a new execution: here, or (a web process that runs none) in the runner process that
    takes it from the runners' work queue; unheard, a runner's scan finds it within a second."""
    if runs_here():
        dispatcher().submit(execution_id)
    else:
        live.send(SUBMIT_CHANNEL, {"type": "runner.submit", "execution_id": execution_id})


def start_lease() -> str | None:
    """The lease a start takes at its insert for this process's runner (``start_execution``'s
    ``lease``): the execution then runs here at once, with no claim. None where none runs, or
    while this runner's heartbeat may have lapsed (the start is then claimed as any other)."""
    if not runs_here():
        return None
    runner = dispatcher()
    return runner.owner if runner.alive() else None


def submit_on_commit(execution: Execution) -> None:
    """Run it once the transaction that made it commits: here at once if it was inserted with
    this runner's lease, else by a claim (here or in a runner process)."""

    def run() -> None:
        if _runner is not None and execution.lease_owner == _runner.owner:
            _runner.run_claimed(execution)
        else:
            submit(execution.pk)

    transaction.on_commit(run)


def notify(execution_id: int) -> None:
    """Wake the execution: here if this process runs it, and through a shared channel layer
    (once the answer is committed) if another process may."""
    if _runner is not None:
        _runner.notify(execution_id)
    if _shared_layer() is not None:
        transaction.on_commit(partial(_ring, execution_id))


def _ring(execution_id: int) -> None:
    # Unheard, the owner's database poll finds the answer all the same.
    live.ring(WAKE_GROUP, {"type": "runner.wake", "execution_id": execution_id})


def stop_execution(
    arn: str, account: str, *, error: str | None = None, cause: str | None = None
) -> Execution:
    execution = executions.stop_execution(arn, account, error=error, cause=cause)
    if _runner is not None:
        _runner.stop(execution.pk)
    return execution


async def run_to_completion(execution: Execution, timeout: float = 300.0) -> Execution:
    """Run an execution just started and wait for its end (StartSyncExecution); AWS's express
    limit is 5 min. One inserted with this runner's lease runs at once, unclaimed again."""
    ended = None
    if runs_here():
        here = dispatcher()
        ended = here.watch_end(execution.pk)
        if execution.lease_owner == here.owner:
            here.run_claimed(execution)
        else:
            here.submit(execution.pk)
    elif (layer := _shared_layer()) is not None:
        await layer.send(SUBMIT_CHANNEL, {"type": "runner.submit", "execution_id": execution.pk})
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    delay = 0.005
    try:
        while True:
            if ended is not None and not ended.done():
                # Run here: its end says when to read (the poll stays for a run taken elsewhere).
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(ended)), 1.0)
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.1)
            if ended is not None and ended.done() and (committed := ended.result()) is not None:
                # Its end committed here: what was written is known, not read back.
                for name, value in committed.items():
                    setattr(execution, name, value)
                return execution
            execution = await in_thread(executions.described, execution.arn)
            if execution.status in TERMINAL or loop.time() > deadline:
                return execution
    finally:
        if ended is not None:
            here.forget_end(execution.pk, ended)


async def wait_for_activity(activity_id: int, seconds: float) -> None:
    """Pause a GetActivityTask long poll before it looks again."""
    await asyncio.sleep(min(seconds, 0.25))
