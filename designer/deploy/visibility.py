"""Who sees what of publishing: deployments, rollouts and drift marks belong to the account they
were made in (as the targets they used do), and are shown to its members who may read and see
the workflow. Pages, REST views and the rollout WebSocket all ask here, through
``accounts.permissions``.
"""

from accounts.permissions import Action, allowed
from accounts.services import account_id_for
from designer.deploy.models import Deployment
from designer.models import Workflow


def deployments_for(user):
    """The deployments of the user's account, of workflows the user may see."""
    if not allowed(user, Action.READ):
        return Deployment.objects.none()
    found = Deployment.objects.filter(workflow__in=Workflow.objects.visible_to(user))
    return found if user.is_superuser else found.filter(account_id=account_id_for(user))


def followable_workflow(user, workflow_id: int) -> Workflow | None:
    """The workflow whose deployments the user may follow (its deploy page, its rollouts live)."""
    if not allowed(user, Action.READ):
        return None
    return Workflow.objects.visible_to(user).filter(pk=workflow_id).first()
