"""The interpreter: runs a parsed state machine against an `Effects` object.

This module is the one owner of a state's life order. For every state:

1. the *StateEntered event (input as received);
2. the input: InputPath -> Parameters (JSONPath) or Arguments (JSONata);
3. the work, done by the state's module in `states/` (it may add its own events, e.g.
   TaskScheduled or MapIterationStarted) and returning a `Work` (a result and/or a chosen
   next state);
4. the output: ResultSelector -> ResultPath -> OutputPath, or Output; and Assign;
5. on failure: Retry (wait, count, go back to 3... from step 2) and then Catch, else the
   failure leaves the frame;
6. the *StateExited event (with assigned variables), then Next or End.

State modules never emit Entered/Exited events, never apply paths to their output and never
retry: they take values and return values.

A *frame* is where states run: the execution itself, a Parallel branch, a Map iteration.
Each frame has its own id chain (history.Chain) and variable scope; frames of Parallel
branches and Map iterations run concurrently as asyncio tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import random
from collections import ChainMap
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from designer.asl.errors import ASLError
from designer.asl.model import Catcher, Map, Parallel, State, StateMachine, Task
from designer.asl.scope import MISSING, Scope
from executions.engine import dataflow
from executions.engine.catch import error_output, find_catcher
from executions.engine.effects import Effects
from executions.engine.errors import DATA_LIMIT, RUNTIME, TIMEOUT, StateFailure, StatePrefix, from_asl
from executions.engine.frames import Frame, StateRun, Work
from executions.engine.history import (
    PAYLOAD_LIMIT,
    Chain,
    History,
    HistoryLimitExceeded,
    entered_details,
    error_details,
    exited_details,
    payload,
    to_json,
)
from executions.engine.retry import retry_delay
from executions.engine.states import RUNNERS, Runner
from executions.engine.tasks import TaskError, TaskRequest, TaskTimeout
from executions.engine.version import ENGINE_VERSION


class Inspector(Protocol):
    """TestState's view of one state's run (executions/teststate)."""

    def stage(self, run: StateRun[Any], name: str, value: Any) -> None:
        """A stage of the data flow (afterInputPath, result, ...) produced `value`."""

    def context(self, state: State, frame: Frame, context: dict[str, Any]) -> dict[str, Any]:
        """The context object the state runs with (TestState may give its own)."""
        ...

    def failed(self, run: StateRun[Any], failure: StateFailure) -> bool:
        """Before Retry: whether the engine may retry this failure."""
        ...


class ExecutionTimedOut(Exception):
    """The state machine's TimeoutSeconds passed."""


class ExecutionAborted(Exception):
    """Replaying an attempt that StopExecution ended: its recorded ExecutionAborted event."""

    def __init__(self, event: dict[str, Any]) -> None:
        super().__init__(event.get("id"))
        self.event = event


@dataclass
class Outcome:
    status: str
    output: Any = None
    output_text: str | None = None
    error: str | None = None
    cause: str | None = None


@dataclass
class ExecutionInfo:
    """The names and ARNs of one execution (they appear in `$$` and in events)."""

    execution_arn: str
    state_machine_arn: str
    name: str
    state_machine_name: str
    role_arn: str
    region: str = "us-east-1"
    account: str = "000000000000"
    redrive_count: int = 0
    express: bool = False


def iso_time(moment: datetime) -> str:
    """AWS's context-object time: UTC, milliseconds, Z."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Execution:
    """One run of a state machine. `await run()` returns the Outcome; `history.events`
    holds the events (also passed to `effects.emit` as they happen)."""

    def __init__(
        self,
        machine: StateMachine,
        input_text: str,
        effects: Effects,
        info: ExecutionInfo,
        *,
        seed: int = 0,
        recorded: list[dict[str, Any]] | None = None,
        results: dict[str, Any] | None = None,
        started: datetime | None = None,
        variables: dict[str, Any] | None = None,
        inspector: Inspector | None = None,
    ) -> None:
        self.machine = machine
        self.effects = effects
        self.info = info
        self.input_text = input_text
        self.runners = RUNNERS
        self.seed = seed
        self.history = History(lambda: effects.clock.now(), effects.emit, recorded)
        # When StartExecution accepted it (a runner may pick it up a moment later): its
        # ExecutionStarted event and $$.Execution.StartTime say so, as DescribeExecution does.
        self.start_time = recorded[0]["timestamp"] if recorded else (started or effects.clock.now())
        # Answers of the outside world (task results, ids) by a key stable across replays
        # (history, *Entered event id, attempt): a checkpoint carries them, a resume reuses them.
        self.results: dict[str, dict[str, Any]] = dict(results or {})
        # The states running right now, by (history, *Entered id): the checkpoint's frame tree.
        self.active: dict[tuple[str, int], StateRun[State]] = {}
        self.deadline: datetime | None = None
        self._execution_context: dict[str, Any] | None = None
        # Redrives: the attempt running now (0: the first run).
        self.attempt = 0
        # The behaviour this execution's history was written with (a resume sets the
        # checkpoint's); see version.py.
        self.engine_version = ENGINE_VERSION
        self._fence_hit = asyncio.Event()
        # The variables the top frame starts with (TestState's `variables`).
        self.variables = dict(variables or {})
        # TestState's view of one state's run (executions/teststate): sees each stage of the
        # data flow, may replace the context object, and answers a failure before Retry does.
        self.inspector = inspector

    # -- the execution ------------------------------------------------------------------
    @functools.cached_property
    def rng(self) -> random.Random:
        """Retry jitter's draws, seeded so a replay draws the same; made at the first retry (a
        seeded Random costs more to make than a run of Pass states)."""
        return random.Random(self.seed)

    async def run(self) -> Outcome:
        history = self.history
        top = Chain()
        try:
            value = _parse_input(self.input_text)
        except ValueError as exc:
            raise InvalidExecutionInput(str(exc)) from None
        self._execution_context = {
            "Id": self.info.execution_arn,
            "Input": value,
            "StartTime": iso_time(self.start_time),
            "Name": self.info.name,
            "RoleArn": self.info.role_arn,
        }
        if not self.info.express:  # an Express execution is never redriven
            self._execution_context["RedriveCount"] = 0  # the attempt's count; a redrive sets it
        history.add(
            top,
            "ExecutionStarted",
            {
                "input": payload(self.input_text)[0],
                "inputDetails": {"truncated": False},
                "roleArn": self.info.role_arn,
            },
            link=False,
            at=self.start_time,
        )
        frame = Frame(top, ChainMap(self.variables), history)
        outcome = await self.attempt_run(frame, value, self.start_time)
        # A redrive appends ExecutionRedriven (RedriveExecution commits it) and continues
        # the same execution from where its last attempt stopped.
        while outcome.status != "SUCCEEDED" and (nxt := history.recorded_next()) is not None:
            if nxt["type"] != "ExecutionRedriven":
                break
            self.attempt += 1
            self._execution_context["RedriveCount"] = self.attempt
            # "The RedriveTime Context object is only available if you've redriven an execution."
            self._execution_context["RedriveTime"] = iso_time(nxt["timestamp"])
            self.effects.clock.advance_to(nxt["timestamp"])
            history.add(top, "ExecutionRedriven", {"redriveCount": self.attempt})
            outcome = await self.attempt_run(frame, value, nxt["timestamp"], redrive=True)
        return outcome

    async def attempt_run(
        self, frame: Frame, value: Any, started: datetime, *, redrive: bool = False
    ) -> Outcome:
        """One attempt: the first run, or a redrive continuing `frame` where it stopped. The
        state machine's TimeoutSeconds counts from the attempt's start."""
        history, top = self.history, frame.chain
        timeout = self.machine.timeout_seconds
        self.deadline = started + _seconds(timeout) if timeout is not None else None
        fence = history.recorded_end()
        if fence is not None and fence["type"] in ("ExecutionTimedOut", "ExecutionAborted"):
            # Replaying an attempt stopped from outside: it stops again where it stopped.
            history.fence, history.on_fence = fence, self._fence_hit.set
            self.deadline = None
        raw_text = None if redrive else self.input_text
        work = self.run_machine(frame, self.machine, value, raw_text=raw_text, redrive=redrive)
        try:
            if history.fence is not None:
                output = await self._until_fence(work, history.fence)
            else:
                output = await self._within_deadline(work)
        except StateFailure as failure:
            history.add(top, "ExecutionFailed", error_details(failure.error, failure.cause))
            return Outcome("FAILED", error=failure.error, cause=failure.cause)
        except ExecutionTimedOut:
            # AWS records it with no cause, pointing at no event (previousEventId 0), as
            # measured against AWS in floci-io/floci#2733 / #2782.
            history.add(top, "ExecutionTimedOut", error_details(TIMEOUT, None), prev=0)
            return Outcome("TIMED_OUT", error=TIMEOUT)
        except ExecutionAborted as aborted:
            # StopExecution wrote it (pointing at the execution's last event): replayed as is.
            details = aborted.event.get("executionAbortedEventDetails")
            history.add(top, "ExecutionAborted", details, prev=aborted.event.get("previousEventId"))
            details = details or {}
            return Outcome("ABORTED", error=details.get("error"), cause=details.get("cause"))
        except HistoryLimitExceeded:
            # "If the execution history reaches this quota, the execution fails" (service quotas).
            cause = "The execution reached the maximum number of history events (25000)."
            history.add(top, "ExecutionFailed", error_details(RUNTIME, cause))
            return Outcome("FAILED", error=RUNTIME, cause=cause)
        finally:
            history.fence = history.on_fence = None
            self._fence_hit.clear()
        text = to_json(output)
        out_text, flags = payload(text)
        history.add(top, "ExecutionSucceeded", {"output": out_text, "outputDetails": flags})
        return Outcome("SUCCEEDED", output=output, output_text=text)

    async def _until_fence(self, work: Coroutine[Any, Any, Any], fence: dict[str, Any]) -> Any:
        """Replay `work` until it reaches the recorded point where it was stopped, then stop it
        as it was stopped: its states unwind (recording where each frame stopped)."""
        running = asyncio.ensure_future(work)
        hit = asyncio.ensure_future(self._fence_hit.wait())
        try:
            await asyncio.wait({running, hit}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            hit.cancel()
        if running.done() and not running.cancelled():
            return running.result()
        # StopExecution's unwinding was never committed; a timeout's was, and replays.
        self.history.dropping = fence["type"] == "ExecutionAborted"
        running.cancel()
        try:
            with contextlib.suppress(BaseException):
                await running
        finally:
            self.history.dropping = False
        if fence["type"] == "ExecutionAborted":
            raise ExecutionAborted(fence)
        raise ExecutionTimedOut()

    async def _halt(self) -> None:
        """Replaying a stopped attempt, the work about to go live: stop here (see _until_fence)."""
        self._fence_hit.set()
        await asyncio.Event().wait()

    async def _within_deadline(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run `work`; the state machine's TimeoutSeconds also interrupts a task in flight
        (at every scale: work runs on real time, see `Clock`). Waits and transitions check the
        deadline themselves."""
        if self.deadline is None:
            return await work
        running = asyncio.ensure_future(work)
        timer = asyncio.ensure_future(self.effects.clock.wait_until(self.deadline))
        try:
            await asyncio.wait({running, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if not running.done():
            running.cancel()
            with contextlib.suppress(BaseException):
                await running
            raise ExecutionTimedOut()
        return running.result()

    async def run_machine(
        self,
        frame: Frame,
        machine: StateMachine,
        value: Any,
        raw_text: str | None = None,
        *,
        redrive: bool = False,
    ) -> Any:
        """Run `machine` (the top level, a branch or an item processor) in `frame` from its
        StartAt to an End; returns the last output or raises StateFailure. With `redrive`,
        continue from where the frame's last attempt stopped (see redrive.py: the stopped state
        goes on with its stay, a Fail state is entered again). The top frame's next event
        follows ExecutionRedriven (its chain); a branch or iteration goes on from its own last."""
        name, states = machine.start_at, machine.states
        resume = None
        if redrive and frame.stopped is not None:
            resume = frame.stopped
            name, value = resume.state.name, resume.raw_input
        elif redrive and frame.next_state is not None:
            name, value = frame.next_state
        frame.done, frame.output = False, None
        while True:
            frame.stopped, frame.next_state = None, (name, value)
            if self.deadline is not None and self.effects.clock.now() >= self.deadline:
                raise ExecutionTimedOut()
            state = states[name]
            # The output's text (its Exited event's) is the next state's input text.
            output, next_name, raw_text = await self.run_state(frame, state, value, raw_text, resume)
            resume = None
            if next_name is None:
                frame.done, frame.output, frame.next_state = True, output, None
                return output
            name, value = next_name, output

    # -- one state ----------------------------------------------------------------------
    async def run_state(
        self,
        frame: Frame,
        state: State,
        raw: Any,
        raw_text: str | None,
        resume: StateRun[State] | None = None,
    ) -> tuple[Any, str | None, str]:
        history = frame.history
        chain = frame.chain
        if resume is not None and state.type != "Fail":
            run = self._redrive_stay(resume)
        else:
            entered_prev = chain.last
            entered_id = history.add(
                chain,
                f"{state.type}StateEntered",
                entered_details(state.name, raw_text if raw_text is not None else to_json(raw)),
            )
            context = self._context(state, frame)
            run = StateRun(
                state, frame, entered_id, entered_prev, StatePrefix(state.name, entered_id), context, raw
            )
            run.attempt = self.attempt
        runner = self.runners[state.type]
        active_key = (history.name, run.entered_id)
        self.active[active_key] = run
        try:
            return await self._work_retry_catch(run, runner, frame, state, history, chain)
        except BaseException:
            frame.stopped = run
            raise
        finally:
            del self.active[active_key]

    def _redrive_stay(self, run: StateRun[State]) -> StateRun[State]:
        """A stay that stopped in the last attempt, continued by a redrive: no new *Entered
        event, retry counts from 0, a fresh task token, and (unless it failed for its data's
        size) the branches and iterations that succeeded kept."""
        run.attempt, run.retry_count = self.attempt, 0
        if "RetryCount" in run.context["State"]:
            run.context["State"]["RetryCount"] = 0
        if "Task" in run.context:
            run.context["Task"] = {"Token": self.new_id(f"{run.effect_key()}:token")}
        if run.error == DATA_LIMIT:
            run.children = None
        run.error = None
        return run

    async def _work_retry_catch(
        self,
        run: StateRun[State],
        runner: Runner,
        frame: Frame,
        state: State,
        history: History,
        chain: Chain,
    ) -> tuple[Any, str | None, str]:
        """Steps 2-6 of the life order (see the module docstring): the output, the next state's
        name (None at an end) and the output's text."""
        context = run.context
        retriers = state.retry if isinstance(state, Task | Parallel | Map) else ()
        counts = [0] * len(retriers)
        jsonata = dataflow.is_jsonata(state)
        while True:
            try:
                work, output, text, assigned = await self._attempt(run, runner, jsonata)
                break
            except StateFailure as failure:
                if failure.evaluation:
                    failure.evaluation = False  # recorded once, where it happened
                    history.add(
                        chain,
                        "EvaluationFailed",
                        _evaluation_details(failure, state.name),
                        prev=run.entered_id if failure.after_entered else run.entered_prev,
                    )
                may_retry = self.inspector is None or self.inspector.failed(run, failure)
                delay = (
                    retry_delay(retriers, counts, failure.error or "", self.rng)
                    if retriers and may_retry
                    else None
                )
                if delay is not None:
                    await self.sleep(delay, history)
                    run.retry_count += 1
                    run.children = None  # a retry runs every branch and iteration again
                    context["State"]["RetryCount"] = run.retry_count
                    continue
                if failure.on_final is not None:
                    failure.on_final()
                catchers = state.catch if isinstance(state, Task | Parallel | Map) else ()
                catcher = find_catcher(catchers, failure.error or "")
                if catcher is None:
                    run.error = failure.error
                    if frame.kind == "branch" and state.type == "Task":
                        history.add(chain, "TaskStateAborted", None, link=False)
                    raise
                output, assigned = self._caught(run, catcher, failure, jsonata)
                text = to_json(output)
                self._exit(run, text, assigned, catcher.assign is not None)
                return output, catcher.next, text
        # A Choice rule's own Assign shows in the exit event like the state's.
        shown = state.assign is not None or work.assigned is not None
        self._exit(run, text, assigned, shown)
        if work.end or (work.next is None and state.end):
            return output, None, text
        return output, work.next or state.next, text

    async def _attempt(
        self, run: StateRun[State], runner: Runner, jsonata: bool
    ) -> tuple[Work, Any, str, dict[str, Any] | None]:
        """Steps 2-4 of a state's life: input, work, output and Assign."""
        state = run.state
        raw = run.raw_input
        scope = run.scope(raw)
        stage = self.inspector.stage if self.inspector is not None else _ignore
        try:
            if jsonata:
                effective = dataflow.arguments(state, raw, scope)
                stage(run, "afterArguments", effective)
            else:
                effective = dataflow.input_path_only(state, raw, scope)
                stage(run, "afterInputPath", effective)
                if state.type != "Map":  # Map applies its ItemSelector per item
                    effective = dataflow.parameters(state, effective, scope)
                    stage(run, "afterParameters", effective)
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
        work: Work = await runner(self, run, effective)
        stage(run, "result", work.result)
        try:
            if jsonata:
                result = work.result
                if work.output is not MISSING:
                    output = work.output
                else:
                    output = dataflow.jsonata_output(state, raw, result, run.scope(raw))
                assigned = dataflow.assign(state.assign, raw, result, run.scope(raw))
            else:
                result = work.result
                if result is MISSING:
                    output = dataflow.jsonpath_output_without_result(state, effective, run.scope(effective))
                    assign_input = effective
                else:
                    selected = dataflow.select_result(state, result, run.scope(result))
                    stage(run, "afterResultSelector", selected)
                    after_result_path = dataflow.apply_state_result_path(state, raw, selected)
                    stage(run, "afterResultPath", after_result_path)
                    output = dataflow.output_path(state, after_result_path, run.scope(raw))
                    assign_input = selected
                assigned = dataflow.assign(state.assign, assign_input, result, run.scope(raw))
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
        if work.assigned is not None:
            assigned = {**work.assigned, **(assigned or {})}
        text = to_json(output)
        if len(text) > PAYLOAD_LIMIT // 4 and len(text.encode("utf-8")) > PAYLOAD_LIMIT:
            raise run.failure(
                DATA_LIMIT,
                f"The state/task '{state.name}' returned a result with a size exceeding the maximum number "
                "of bytes service limit.",
            )
        return work, output, text, assigned

    def _caught(
        self, run: StateRun[State], catcher: Catcher, failure: StateFailure, jsonata: bool
    ) -> tuple[Any, dict[str, Any] | None]:
        err = error_output(failure.error, failure.cause)
        raw = run.raw_input
        try:
            if jsonata:
                scope = Scope(raw, run.context, run.frame.variables, error_output=err)
                output = err if catcher.output is None else catcher.output.evaluate(scope)
                assigned = None if catcher.assign is None else catcher.assign.evaluate(scope)
            else:
                output = dataflow.apply_catch_result_path(catcher, raw, err)
                assigned = dataflow.assign(catcher.assign, err, MISSING, run.scope(raw), error_output=err)
        except ASLError as exc:
            raise from_asl(exc, run.prefix) from None
        return output, assigned

    def _exit(
        self, run: StateRun[State], text: str, assigned: dict[str, Any] | None, show_assigned: bool
    ) -> None:
        state = run.state
        if assigned:
            run.frame.variables.update(assigned)
        run.frame.history.add(
            run.frame.chain,
            f"{state.type}StateExited",
            exited_details(state.name, text, assigned if show_assigned else None),
        )

    # -- helpers for state modules ------------------------------------------------------
    def _context(self, state: State, frame: Frame) -> dict[str, Any]:
        context = self._state_context(state, frame)
        return context if self.inspector is None else self.inspector.context(state, frame, context)

    def _state_context(self, state: State, frame: Frame) -> dict[str, Any]:
        entered = frame.history.events[-1]["timestamp"]
        state_ctx: dict[str, Any] = {"Name": state.name, "EnteredTime": iso_time(entered)}
        if isinstance(state, Task | Parallel | Map):
            state_ctx["RetryCount"] = 0
        context: dict[str, Any] = {
            "Execution": self._execution_context,
            "StateMachine": {"Id": self.info.state_machine_arn, "Name": self.info.state_machine_name},
            "State": state_ctx,
        }
        if frame.map_context is not None:
            context["Map"] = frame.map_context
        if isinstance(state, Task) and state.resource.endswith(".waitForTaskToken"):
            key = f"{frame.history.name}:{len(frame.history.events)}:token"
            context["Task"] = {"Token": self.new_id(key)}
        return context

    async def sleep_until(self, moment: datetime, history: History | None = None) -> None:
        """Wait on the execution's clock until `moment`; past the state machine's deadline it
        times out. While replaying, time only moves forward (the wait already happened)."""
        clock = self.effects.clock
        history = history or self.history
        if history.fence is not None and moment > history.fence["timestamp"]:
            await self._halt()
        timed_out = self.deadline is not None and moment >= self.deadline
        if timed_out and self.deadline is not None:
            moment = self.deadline
        if history.replaying:
            await history.until_time(moment)
            clock.advance_to(moment)
        else:
            await clock.sleep((moment - clock.now()).total_seconds())
        if timed_out:
            raise ExecutionTimedOut()

    async def sleep(self, seconds: float, history: History | None = None) -> None:
        """Wait `seconds` after the latest event (the failure a retry answers, a Wait's entry)."""
        history = history or self.history
        await self.sleep_until(history.last_time() + _seconds(seconds), history)

    def new_id(self, key: str) -> str:
        answer = self.results.get(key)
        if answer is None:
            answer = self.results[key] = {"id": self.effects.new_id(f"{self.info.execution_arn}|{key}")}
        issued: str = answer["id"]
        return issued

    async def invoke(
        self,
        key: str,
        request: TaskRequest,
        history: History,
        call: Callable[[], Awaitable[Any]] | None = None,
    ) -> Any:
        """Invoke a task through the effects, or (resuming) give the answer recorded at the
        checkpoint, at the point of the history where it arrived. Raises TaskError/TaskTimeout."""
        answer = self.results.get(key)
        # A recorded answer is reused only if its event is part of the recorded history;
        # otherwise the task is invoked again (at-least-once, as on AWS).
        if (
            answer is not None
            and "at" in answer
            and history.replaying
            and answer["at"] <= history.recorded_count
        ):
            await history.until(answer["at"])
        else:
            if history.fence is not None:
                await self._halt()
            try:
                answer = {"ok": await (call() if call is not None else self.effects.invoke(request))}
            except TaskError as exc:
                answer = {"error": exc.error, "cause": exc.cause}
            except TaskTimeout as exc:
                answer = {"timeout": True, "heartbeat": exc.heartbeat}
            answer["at"] = history.next_id
            self.results[key] = answer
        if "ok" in answer:
            return answer["ok"]
        if "timeout" in answer:
            raise TaskTimeout(answer["heartbeat"])
        raise TaskError(answer["error"], answer["cause"])


class InvalidExecutionInput(ValueError):
    """The execution input is not JSON (StartExecution rejects it: InvalidExecutionInput)."""


def _ignore(*_args: Any) -> None:
    return None


def _parse_input(text: str | None) -> Any:
    return {} if text is None else json.loads(text)


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def _evaluation_details(failure: StateFailure, state_name: str) -> dict[str, Any]:
    details = error_details(failure.error, failure.cause)
    if failure.location is not None:
        details["location"] = failure.location
    details["state"] = state_name
    return details
