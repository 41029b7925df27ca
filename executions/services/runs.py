"""Runs of designer workflows: the editor's and the version page's Run, the REST API's
``POST /api/workflows/<id>/runs/``. The workflow's state machine in the runner's account is
found by its key (never by name: a workflow may be renamed, and another machine of the account
may hold the name), created on the first run, or updated to the definition being run, and
published; the execution starts on that version and remembers the workflow it came from."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.permissions import Action, allowed
from accounts.services import account_id_for
from designer.asl.entry import EntryError
from designer.asl.entry import start_at as started_at
from designer.deploy.models import Target
from designer.formats import convert
from designer.models import Version, Workflow
from designer.services import can_run
from executions import arns
from executions.exceptions import ValidationException
from executions.models import Execution, StateMachine, StateMachineVersion, WorkflowRun
from executions.services.executions import start_execution
from executions.services.machines import create_state_machine, publish_version, update_state_machine


def _publish(
    workflow: Workflow, definition: str, description: str, user, account: str, region: str
) -> StateMachineVersion:
    existing = StateMachine.objects.filter(account_id=account, workflow=workflow).first()
    if existing is not None and existing.definition == definition:
        return publish_version(existing)
    if existing is not None:
        return update_state_machine(existing.arn, account, definition=definition, publish=True)[1]
    name = workflow.name
    if StateMachine.objects.filter(arn=arns.state_machine(region, account, name)).exists():
        name = f"{workflow.name[:60]}-workflow-{workflow.pk}"
    return create_state_machine(
        region=region,
        account=account,
        name=name,
        definition=definition,
        role_arn=f"arn:aws:iam::{account}:role/symphony-local",
        type=workflow.type,
        publish=True,
        version_description=description,
        owner_id=user.pk,
        workflow_id=workflow.pk,
    )[1]


def local_state_machine(workflow: Workflow, user, region: str = arns.DEFAULT_REGION) -> StateMachine:
    """The workflow's state machine in the user's account, its draft published (as a first run
    would): what a local EventBridge rule of a sample targets before anyone ran it."""
    draft = workflow.draft
    definition = draft.definition if draft.format == "json" else convert(draft.definition, "json")
    label = f"{workflow.name} draft revision {draft.revision}"
    account = account_id_for(user)
    with transaction.atomic():
        return _publish(workflow, definition, label, user, account, region).state_machine


def start_workflow_run(
    workflow: Workflow,
    user,
    *,
    input: str | None,
    name: str | None = None,
    version: Version | None = None,
    start_at: str | None = None,
    variables: dict | None = None,
    within: list[str | int] | None = None,
    region: str = arns.DEFAULT_REGION,
    target: str | None = None,
) -> Execution:
    """Start an execution of ``version``, or of the draft when it is None; from its top-level
    state ``start_at`` (or that of the Parallel branch or Map processor at the JSON path ``within``)
    with ``variables`` assigned first ("run from here", ``designer.asl.entry``).
    Refused (PermissionDenied) unless ``designer.services.can_run``; a bad definition, input or
    name raises the StepFunctionsError StartExecution would (InvalidDefinition,
    InvalidExecutionInput, InvalidName, ExecutionAlreadyExists), an unknown state
    ValidationException. With ``target`` (a deploy target's name), its Task integrations call
    that target's AWS with the target's credentials: refused unless the user may also publish
    (the publishers' credentials), an unknown target ValidationException."""
    if not can_run(user, workflow):
        raise PermissionDenied("You may not run this workflow (it takes the authors role).")
    account = account_id_for(user)
    aws_target = None
    if target:
        if not allowed(user, Action.PUBLISH, account):
            raise PermissionDenied("Running against a target's AWS takes the publishers role.")
        aws_target = Target.objects.filter(account_id=account, name=target).first()
        if aws_target is None:
            raise ValidationException(f"No target named {target!r} in this account.", field="target")
    if version is None:
        draft = workflow.draft
        source, fmt, label = draft.definition, draft.format, f"draft revision {draft.revision}"
    else:
        source, fmt, label = version.definition, version.format, f"version {version.number}"
    definition = source if fmt == "json" else convert(source, "json")
    if start_at is not None:
        try:
            definition = started_at(definition, start_at, variables, within)
        except (EntryError, ValueError) as error:
            raise ValidationException(str(error), field="start_at") from None
        label += f", from {start_at}"
    with transaction.atomic():
        published = _publish(workflow, definition, f"{workflow.name} {label}", user, account, region)
        execution, _ = start_execution(published.arn, account, name=name, input=input, owner_id=user.pk)
        if aws_target is not None:
            execution.aws_target_id = aws_target.pk
            execution.save(update_fields=["aws_target_id"])
        WorkflowRun.objects.create(
            execution=execution,
            workflow=workflow,
            version=version,
            draft_revision=workflow.draft.revision if version is None else None,
            start_at=start_at or "",
        )
    return execution
