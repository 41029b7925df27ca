"""Rollouts live: a ring per workflow after a rollout's row commits, and what its followers are
sent (the database is the record; the channel layer only says "look again", as for executions).
"""

from functools import partial

from django.db import transaction

from designer.deploy import visibility
from designer.deploy.models import Rollout
from executions import live


def group(workflow_id: int) -> str:
    return f"deploy.rollouts.{workflow_id}"


def announce(rollout: Rollout) -> None:
    """Ring the workflow's followers once the rollout's change commits."""
    message = {"type": "rollout.changed", "deployment": rollout.deployment_id}
    transaction.on_commit(partial(live.ring, group(rollout.deployment.workflow_id), message))


def snapshot(user, workflow_id: int) -> list[dict]:
    """Every rollout of the workflow's deployments the user may see, newest first."""
    rollouts = Rollout.objects.filter(
        deployment__in=visibility.deployments_for(user).filter(workflow_id=workflow_id)
    ).order_by("-started_at")[:50]
    return [
        {
            "deployment": rollout.deployment_id,
            "strategy": rollout.strategy,
            "status": rollout.status,
            "status_label": rollout.get_status_display(),
            "weight": rollout.weight,
            "max_failures": rollout.max_failures,
            "next_step_at": rollout.next_step_at.isoformat(),
            "events": rollout.events,
        }
        for rollout in rollouts
    ]
