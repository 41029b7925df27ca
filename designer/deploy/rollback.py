"""Roll back: point an alias at an earlier published version, recorded as a deployment."""

from django.utils import timezone

from accounts.services import account_for
from designer.deploy import clients
from designer.deploy.errors import PublishRefused, TargetUnreachable
from designer.deploy.models import Deployment, DeploymentKind, DeploymentStatus, Target
from designer.deploy.publish import find_alias, require_publisher
from designer.deploy.targets import get_target
from designer.models import Workflow


def published_versions(workflow: Workflow, target: Target):
    """The versions of this workflow known on the target (published or imported), newest first."""
    return Deployment.objects.filter(
        workflow=workflow,
        target=target,
        kind__in=[DeploymentKind.PUBLISH, DeploymentKind.IMPORT],
        status=DeploymentStatus.SUCCEEDED,
        aws_version__isnull=False,
    ).select_related("version")


def roll_back(workflow: Workflow, actor, *, target: Target | str, alias: str, aws_version: int) -> Deployment:
    if isinstance(target, str):
        target = get_target(actor, target)
    require_publisher(actor, target)
    source = published_versions(workflow, target).filter(aws_version=aws_version).first()
    if source is None:
        message = f"{workflow.name} has no published version {aws_version} on {target.name}."
        raise PublishRefused("VERSION_NOT_PUBLISHED", message, [{"field": "version", "message": message}])
    if not alias:
        raise PublishRefused(
            "ALIAS_REQUIRED", "Name the alias to roll back.", [{"field": "alias", "message": "Required."}]
        )
    deployment = Deployment.objects.create(
        kind=DeploymentKind.ROLLBACK,
        workflow=workflow,
        version=source.version,
        target=target,
        target_name=target.name,
        account=account_for(actor),
        actor=actor,
        alias=alias,
        state_machine_name=source.state_machine_name,
        target_account_id=source.target_account_id,
        state_machine_arn=source.state_machine_arn,
        version_arn=source.version_arn,
        aws_version=aws_version,
        definition=source.definition,
        definition_sha256=source.definition_sha256,
        steps=[{"name": "alias", "call": "UpdateStateMachineAlias", "status": "pending", "detail": ""}],
    )
    step = deployment.steps[0]
    routing = [{"stateMachineVersionArn": source.version_arn, "weight": 100}]
    try:
        sfn = clients.client(target, actor)
        alias_arn = find_alias(sfn, source.state_machine_arn, alias)
        if not alias_arn:
            raise PublishRefused("ALIAS_NOT_FOUND", f"{source.state_machine_name} has no alias {alias!r}.")
        step["params"] = {"stateMachineAliasArn": alias_arn, "routingConfiguration": routing}
        sfn.update_state_machine_alias(stateMachineAliasArn=alias_arn, routingConfiguration=routing)
    except (*clients.CALL_ERRORS, TargetUnreachable, PublishRefused) as error:
        step["status"] = "failed"
        step["detail"] = clients.describe_error(error)
        deployment.status, deployment.error = DeploymentStatus.FAILED, f"Roll back failed: {step['detail']}"
    else:
        step["status"], step["detail"] = "done", f"Pointed {alias_arn} at version {aws_version}."
        deployment.status, deployment.alias_arn = DeploymentStatus.SUCCEEDED, alias_arn
    deployment.finished_at = timezone.now()
    deployment.save()
    return deployment
