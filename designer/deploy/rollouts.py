"""Gradual rollout, as SAM's DeploymentPreference does it for state machines: all at once, canary
(a share for an interval, then all) or linear (a share more every interval), through the alias's
routing configuration (Step Functions Developer Guide, "Gradual deployments of state machine
versions"). While it runs, the new version's FAILED, TIMED_OUT and ABORTED executions are counted
(ListExecutions by version ARN); past the publisher's threshold the alias goes back to the old
version by itself. A person can promote or roll back at any time.

``tick`` makes every decision from the rollout's row, so it is resumed by whichever process runs
next (the embedded loop started with the app, or ``manage.py rollouts``).
"""

import contextlib
import logging
import os
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from designer.deploy import clients, live
from designer.deploy.errors import PublishRefused, TargetUnreachable
from designer.deploy.models import Rollout, RolloutStatus, RolloutStrategy
from designer.deploy.publish import require_publisher

logger = logging.getLogger(__name__)

FAILED_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")


def routing(rollout: Rollout, weight: int) -> list[dict]:
    routes = [{"stateMachineVersionArn": rollout.new_version_arn, "weight": weight}]
    if weight < 100:
        routes.append({"stateMachineVersionArn": rollout.old_version_arn, "weight": 100 - weight})
    return routes


def _note(rollout: Rollout, message: str) -> None:
    rollout.events.append({"at": timezone.now().isoformat(), "message": message})


def _point(rollout: Rollout, routes: list[dict]) -> None:
    deployment = rollout.deployment
    sfn = clients.client(deployment.target, deployment.actor)
    sfn.update_state_machine_alias(stateMachineAliasArn=rollout.alias_arn, routingConfiguration=routes)


def _failures(rollout: Rollout) -> int:
    deployment = rollout.deployment
    sfn = clients.client(deployment.target, deployment.actor)
    count = 0
    for status in FAILED_STATUSES:
        page = sfn.list_executions(
            stateMachineArn=rollout.new_version_arn, statusFilter=status, maxResults=100
        )
        count += len(page["executions"])
    return count


def _finish(rollout: Rollout, status: str, routes: list[dict], message: str) -> None:
    _point(rollout, routes)
    rollout.status, rollout.finished_at = status, timezone.now()
    rollout.weight = (
        routes[0]["weight"] if routes[0]["stateMachineVersionArn"] == rollout.new_version_arn else 0
    )
    _note(rollout, message)


def _advance(rollout: Rollout, now) -> None:
    failures = _failures(rollout)
    if failures > rollout.max_failures:
        back = [{"stateMachineVersionArn": rollout.old_version_arn, "weight": 100}]
        _finish(
            rollout,
            RolloutStatus.ROLLED_BACK,
            back,
            f"{failures} failed, timed out or aborted execution(s) of the new version (threshold "
            f"{rollout.max_failures}): the alias points at the old version again.",
        )
        return
    if now < rollout.next_step_at:
        return
    weight = 100 if rollout.strategy == RolloutStrategy.CANARY else min(100, rollout.weight + rollout.percent)
    if weight == 100:
        _finish(rollout, RolloutStatus.SUCCEEDED, routing(rollout, 100), "All traffic on the new version.")
        return
    _point(rollout, routing(rollout, weight))
    rollout.weight = weight
    rollout.next_step_at = now + timedelta(seconds=rollout.interval_seconds)
    _note(rollout, f"{weight}% on the new version.")


def _holding_the_row():
    """A transaction that holds a rollout's row while its target is called: PostgreSQL's row lock
    keeps other processes off it. SQLite's transactions take the one write lock of the whole
    database as they begin: held over the call, every writer waited on it, and when the target
    is this Symphony the call's own writes timed out. There the steps run without one."""
    return transaction.atomic() if connection.features.has_select_for_update else contextlib.nullcontext()


def tick(now=None) -> int:
    """Advance every running rollout once; returns how many it looked at."""
    now = now or timezone.now()
    ids = list(Rollout.objects.filter(status=RolloutStatus.RUNNING).values_list("pk", flat=True))
    for pk in ids:
        with _holding_the_row():
            rollout = (
                Rollout.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("deployment__target", "deployment__actor")
                .filter(pk=pk, status=RolloutStatus.RUNNING)
                .first()
            )
            if rollout is None:  # another process has it, or it ended
                continue
            try:
                if rollout.deployment.target is None:
                    rollout.status, rollout.finished_at = RolloutStatus.ROLLED_BACK, now
                    _note(rollout, "The target was removed; the rollout stopped where it was.")
                else:
                    _advance(rollout, now)
            except (*clients.CALL_ERRORS, TargetUnreachable) as error:
                _note(rollout, f"Could not reach the target, will try again: {clients.describe_error(error)}")
            rollout.save()
            live.announce(rollout)
    return len(ids)


def promote(rollout: Rollout, actor) -> Rollout:
    return _by_hand(rollout, actor, routing(rollout, 100), RolloutStatus.SUCCEEDED, "promoted it")


def roll_back(rollout: Rollout, actor) -> Rollout:
    back = [{"stateMachineVersionArn": rollout.old_version_arn, "weight": 100}]
    return _by_hand(rollout, actor, back, RolloutStatus.ROLLED_BACK, "rolled it back")


def _by_hand(rollout: Rollout, actor, routes: list[dict], status: str, what: str) -> Rollout:
    if rollout.deployment.target is None:
        raise PublishRefused("TARGET_GONE", "The target was removed.")
    require_publisher(actor, rollout.deployment.target)
    with _holding_the_row():
        rollout = (
            Rollout.objects.select_for_update(of=("self",))
            .select_related("deployment__target")
            .get(pk=rollout.pk)
        )
        if rollout.status != RolloutStatus.RUNNING:
            raise PublishRefused(
                "ROLLOUT_OVER", f"The rollout is over ({rollout.get_status_display().lower()})."
            )
        try:
            _finish(rollout, status, routes, f"{actor.get_username()} {what}.")
        except clients.CALL_ERRORS as error:
            raise PublishRefused("TARGET_CALL_FAILED", clients.describe_error(error)) from error
        rollout.save()
        live.announce(rollout)
    return rollout


def _interval() -> float:
    return float(
        os.environ.get("SYMPHONY_ROLLOUT_SECONDS") or getattr(settings, "SYMPHONY_ROLLOUT_SECONDS", 5.0)
    )


def _loop(stop: threading.Event) -> None:
    while not stop.wait(_interval()):
        try:
            tick()
        except Exception:  # the loop outlives one bad tick; the rollout rows say what happened
            logger.exception("rollout tick failed")
        finally:
            close_old_connections()


def start_embedded() -> threading.Event:
    """The rollout loop inside the app's process (a daemon thread), where the embedded runner runs
    (``SYMPHONY_RUNNER=off`` leaves both out; ``manage.py rollouts`` runs it on its own)."""
    stop = threading.Event()
    if os.environ.get("SYMPHONY_RUNNER", "embedded") == "embedded" and _interval() > 0:
        threading.Thread(target=_loop, args=(stop,), name="symphony-rollouts", daemon=True).start()
    return stop
