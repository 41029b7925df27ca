"""Local functions: Python ``handler(event, context)`` code that Task states call by name.

Functions come from the database (the UI and the REST API write ``LocalFunction`` rows) and
from a folder of files (``SYMPHONY_FUNCTIONS_DIR``, default ``functions/``: ``<name>.py``
defines ``handler``). Each invocation runs in a sandbox (``executions.function_sandbox``: no view
of the app's files, database or secrets, its own limits, no network unless allowed), warm for the
next invocation of the same function as on Lambda (``executions.function_pool``); the engine sees
an ordinary callable and turns its exceptions into Lambda's error shape. Writing a function is
running code on this server, confined: it is the ``authors`` role's to do.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, close_old_connections
from django.db.models import QuerySet
from django.utils import timezone

from executions import function_pool, function_sandbox
from executions.approvals import local_requests
from executions.arns import DEFAULT_REGION
from executions.integrations import Resources, aws
from executions.integrations.aws.clients import Remote, Unreachable
from executions.integrations.aws.itemreader import S3Objects
from executions.integrations.aws.states import TargetStateMachines
from executions.integrations.lambda_ import HandlerError, LambdaContext
from executions.models import Execution, FunctionLog, LocalFunction, ServiceCall
from executions.services import event_rules

logger = logging.getLogger(__name__)


class FunctionError(HandlerError):
    """Raised in the app for an error raised in the child; renamed to the child's error type."""


def _named_error(error_type: str, message: str, stack_trace: list[str] | None = None) -> FunctionError:
    cls = type(error_type if error_type.isidentifier() else "Exception", (FunctionError,), {})
    return cls(error_type, message, stack_trace)


def split_handler(handler: str, name: str) -> tuple[str, str]:
    """Lambda's handler setting, `module.function` (the code is `module.py`), or a bare
    function name (the code is then the module named after the function)."""
    module, _, function = handler.rpartition(".")
    return module or name, function


@dataclass
class IsolatedFunction:
    name: str
    code: str
    handler: str = "handler"
    timeout_seconds: float = 30.0
    memory_mb: int = 256
    # Called after each invocation with its log (what the handler printed) and outcome.
    on_log: Callable[[dict], None] | None = None
    environment: dict[str, str] = field(default_factory=dict)
    network_access: bool = False
    account: str = ""

    def __call__(self, event: Any, context: Any) -> Any:
        started = timezone.now()
        clock = time.monotonic()
        error_type, log = "", ""
        try:
            result, log = self._invoke(event, context)
            return result
        except FunctionError as exc:
            error_type = exc.error_type
            log = getattr(exc, "log", "")
            raise
        finally:
            if self.on_log is not None:
                self.on_log(
                    {
                        "function_name": self.name,
                        "request_id": getattr(context, "aws_request_id", "") or "",
                        "started_at": started,
                        "duration_ms": int((time.monotonic() - clock) * 1000),
                        "error_type": error_type,
                        "log": log[-64 * 1024 :],
                    }
                )

    def _invoke(self, event: Any, context: Any) -> tuple[Any, str]:
        module, function = split_handler(self.handler, self.name)
        spec = function_pool.Spec(
            self.name,
            self.code,
            module,
            function,
            self.memory_mb,
            self.environment,
            self.network_access,
            self.account,
        )
        request = {
            "event": event,
            "context": {
                "function_name": self.name,
                "aws_request_id": getattr(context, "aws_request_id", ""),
                "invoked_function_arn": getattr(context, "invoked_function_arn", ""),
                "memory_limit_in_mb": self.memory_mb,
                "timeout_ms": self.timeout_seconds * 1000,
            },
        }
        try:
            answer, log = function_pool.invoke(spec, request, self.timeout_seconds)
        except function_sandbox.SandboxUnavailable as exc:
            # Never run unconfined instead: the invocation fails and says why.
            raise _named_error(
                "Runtime.SandboxUnavailable", f"The function's sandbox could not start: {exc}"
            ) from None
        except function_pool.Timeout as exc:
            error = _named_error("TimeoutError", f"Task timed out after {self.timeout_seconds:.2f} seconds")
            error.log = exc.log
            raise error from None
        except function_pool.Ended as exc:
            error = _named_error("Runtime.ExitError", f"The function process ended without answering: {exc}")
            error.log = exc.log
            raise error from None
        if not answer.get("ok"):
            error = _named_error(
                str(answer.get("errorType")), str(answer.get("errorMessage")), answer.get("stackTrace")
            )
            error.log = log
            raise error
        return answer.get("result"), log


def functions_dir() -> Path:
    return Path(
        os.environ.get("SYMPHONY_FUNCTIONS_DIR")
        or getattr(settings, "SYMPHONY_FUNCTIONS_DIR", "")
        or Path(settings.BASE_DIR) / "functions"
    )


FOLDER, DATABASE = "folder", "database"


@dataclass(frozen=True)
class Registered:
    """A local function as the pages show it: where it comes from, its code and settings."""

    name: str
    source: str  # FOLDER or DATABASE
    code: str
    updated_at: datetime
    handler: str = "handler"
    timeout_seconds: float = IsolatedFunction.timeout_seconds
    memory_mb: int = IsolatedFunction.memory_mb
    path: Path | None = None  # the file of a folder function
    overridden: bool = False  # a database function of the same name answers instead
    environment: dict[str, str] = field(default_factory=dict)
    network_access: bool = False
    account: str = ""  # the account whose Task states call it (a folder function: any)

    def isolated(self, on_log: Callable[[dict], None] | None = None) -> IsolatedFunction:
        return IsolatedFunction(
            self.name,
            self.code,
            self.handler,
            self.timeout_seconds,
            self.memory_mb,
            on_log,
            self.environment,
            self.network_access,
            self.account,
        )


def stored(account: str) -> QuerySet[LocalFunction]:
    """The account's database functions Task states may call: the one lookup."""
    return LocalFunction.objects.filter(account_id=account)


def registered(account: str) -> list[Registered]:
    """Every local function of the account by name, then the folder's functions (the operator's,
    shared by every account), each listed after the account's function that overrides it
    (database rows win over files)."""
    rows = {
        fn.name: Registered(
            fn.name,
            DATABASE,
            fn.code,
            fn.updated_at,
            fn.handler,
            fn.timeout_seconds,
            fn.memory_mb,
            environment=fn.environment,
            network_access=fn.network_access,
            account=account,
        )
        for fn in stored(account)
    }
    found = list(rows.values())
    folder = functions_dir()
    if folder.is_dir():
        for path in folder.glob("*.py"):
            changed = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            code = path.read_text(errors="replace")
            found.append(
                # Called from this account: its warm sandboxes (module globals) are this account's.
                Registered(
                    path.stem, FOLDER, code, changed, path=path, overridden=path.stem in rows, account=account
                )
            )
    return sorted(found, key=lambda fn: (fn.name, fn.overridden))


def find(account: str, name: str, source: str | None = None) -> Registered | None:
    """The function Task states of the account call by that name, or the one from ``source``."""
    return next(
        (fn for fn in registered(account) if fn.name == name and source in (None, "", fn.source)), None
    )


def resources(account: str, execution_id: int | None = None, *, calls: bool = True) -> Resources:
    """The engine's resolver with the account's local functions and AWS services; with an
    execution, each function invocation's log and where each AWS call went are kept with it,
    and a run pointed at a deploy target calls that target's AWS. ``calls=False``, for a
    machine that calls no resource, reads nothing (no database, no folder)."""
    on_log = partial(_keep_log, execution_id) if execution_id is not None else None
    on_call = partial(_keep_call, execution_id) if execution_id is not None else None
    via = _target_of(execution_id, account) if execution_id is not None and calls else None
    found = Resources(
        aws=partial(
            aws.invoke, account=account, on_call=on_call, on_events=partial(_route_events, account), via=via
        ),
        aws_services=aws.handles,
        objects=S3Objects(account, DEFAULT_REGION, on_call, via),
        states=TargetStateMachines(via, account) if via is not None else None,
    )
    for fn in registered(account) if calls else ():
        if not fn.overridden:
            found.register(fn.name, fn.isolated(on_log))
    if calls and local_requests.FUNCTION_NAME not in found.functions:
        # Symphony answers the "Human approval" pattern's function itself, unless the account
        # (or the operator's folder) has its own of that name.
        found.register(local_requests.FUNCTION_NAME, local_requests.RequestApproval(account, execution_id))
    return found


def _target_of(execution_id: int, account: str) -> Remote | None:
    """The deploy target the run was pointed at (None: not pointed at one). Its credentials are
    made on the first call, from the target as it is then, as its publisher's (a target that
    is gone by then fails each call, never silently turning to the local AWS)."""
    from designer.deploy import clients as target_clients  # the deploy app sits above the runtime
    from designer.deploy.errors import TargetUnreachable
    from designer.deploy.models import Target

    run = Execution.objects.filter(pk=execution_id).values("aws_target_id", "owner_id").first()
    if run is None or run["aws_target_id"] is None:
        return None
    target = Target.objects.filter(pk=run["aws_target_id"], account_id=account).first()
    if target is None:
        return Remote(f"#{run['aws_target_id']}", None, _gone)

    def session() -> Any:
        try:
            owner = get_user_model().objects.filter(pk=run["owner_id"]).first()
            if owner is None and target.this_symphony:
                raise Unreachable(f"Target {target.name} signs as the run's owner, who is gone.")
            return target_clients.session_for(target, owner)
        except TargetUnreachable as exc:
            raise Unreachable(str(exc)) from None
        finally:
            close_old_connections()

    return Remote(target.name, target_clients.endpoint_for(target), session)


def _gone() -> Any:
    raise Unreachable("The deploy target this run was pointed at no longer exists; nothing was sent.")


def invoke_once(function: IsolatedFunction, event: Any, account: str) -> dict:
    """One invocation for a person trying a function, answered as Lambda's console shows it:
    the response or the error (type, message, stack trace), with the log and the duration."""
    request_id = str(uuid.uuid4())
    context = LambdaContext(
        function.name,
        request_id,
        f"arn:aws:lambda:{DEFAULT_REGION}:{account}:function:{function.name}",
        memory_limit_in_mb=function.memory_mb,
    )
    kept: dict = {}
    try:
        answer = {"ok": True, "result": replace(function, on_log=kept.update)(event, context)}
    except FunctionError as exc:
        answer = {
            "ok": False,
            "errorType": exc.error_type,
            "errorMessage": str(exc),
            "stackTrace": exc.stack_trace,
        }
    return {**answer, "log": kept["log"], "durationMs": kept["duration_ms"], "requestId": request_id}


def _keep_log(execution_id: int, entry: dict) -> None:
    # Runs in the engine's worker thread once the function's process has ended; a log that
    # cannot be stored must not turn the invocation into a failure.
    try:
        FunctionLog.objects.create(execution_id=execution_id, **entry)
    except DatabaseError:
        logger.warning("could not keep the log of %s", entry["function_name"], exc_info=True)
    finally:
        close_old_connections()


def _route_events(account: str, region: str, entries: list[dict], answers: list[dict]) -> None:
    # In a worker thread, after the local AWS accepted the events: the local rules start
    # their executions; a rule that cannot start one fails no task (EventBridge's delivery).
    try:
        event_rules.route(account, region, entries, answers)
    except DatabaseError:
        logger.warning("could not route the events put in %s", account, exc_info=True)
    finally:
        close_old_connections()


def _keep_call(execution_id: int, entry: dict) -> None:
    # As _keep_log: in a worker thread, and a record that cannot be stored fails no task.
    try:
        ServiceCall.objects.create(execution_id=execution_id, **entry)
    except DatabaseError:
        logger.warning("could not keep the AWS call of %s", entry["resource"], exc_info=True)
    finally:
        close_old_connections()
