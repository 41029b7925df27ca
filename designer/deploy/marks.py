"""Drift marks: the kept last look at what a target runs for a workflow against what Symphony
last published there (``DriftCheck``). Pages read them and never call a target; ``drift.check``
looks again, and a successful publish records that what runs is what was sent.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.permissions import Action, allowed
from designer.deploy.models import Deployment, DeploymentKind, DriftCheck, DriftStatus, Target
from designer.deploy.targets import targets_for
from designer.models import Workflow


def max_age() -> timedelta:
    """How old a look may be before pages call it stale (they still show it, and its age)."""
    return timedelta(seconds=settings.SYMPHONY_DRIFT_MAX_AGE)


def last_publish(workflow: Workflow, target: Target) -> Deployment | None:
    """The latest deployment that wrote this workflow's definition on the target: a publish whose
    write step was done (even if a later step failed: the state machine has the new text) or an
    import (the text it read)."""
    candidates = Deployment.objects.filter(
        workflow=workflow,
        target=target,
        kind__in=[DeploymentKind.PUBLISH, DeploymentKind.IMPORT],
        dry_run=False,
    ).exclude(state_machine_arn="")
    for deployment in candidates.select_related("version")[:20]:
        if deployment.kind == DeploymentKind.IMPORT or any(
            step["name"] == "write" and step["status"] == "done" for step in deployment.steps
        ):
            return deployment
    return None


def save_check(workflow: Workflow, target: Target, actor, **fields) -> DriftCheck:
    check, _ = DriftCheck.objects.update_or_create(
        workflow=workflow,
        target=target,
        defaults={"checked_at": timezone.now(), "checked_by": actor, "aliases": [], **fields},
    )
    return check


def record_published(deployment: Deployment) -> None:
    """After a successful publish what runs is what was sent: the mark is in sync as of now."""
    if deployment.target is None:
        return
    save_check(
        deployment.workflow,
        deployment.target,
        deployment.actor,
        status=DriftStatus.IN_SYNC,
        state_machine_arn=deployment.state_machine_arn,
        deployed=deployment.definition,
        published=deployment.definition,
        published_deployment=deployment,
        message=f"As published (version {deployment.aws_version}).",
    )


def marks(user, workflows) -> dict[int, list[DriftCheck]]:
    """The kept marks of these workflows on the targets of the user's account; never calls a target."""
    found: dict[int, list[DriftCheck]] = {}
    if not allowed(user, Action.READ):
        return found
    rows = DriftCheck.objects.filter(workflow__in=workflows, target__in=targets_for(user)).select_related(
        "target"
    )
    for row in rows:
        found.setdefault(row.workflow_id, []).append(row)
    return found


def is_stale(check: DriftCheck) -> bool:
    return timezone.now() - check.checked_at > max_age()
