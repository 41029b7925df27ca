"""Import from a target: a state machine (definition, type, name) as a workflow, its published
versions as the workflow's versions (read-only history, each recorded as an import deployment
with its AWS version number) and its aliases' routing in the record. Re-importing updates the
draft to what the target runs and adds the versions not imported yet."""

from botocore.exceptions import ClientError
from django.utils import timezone

from accounts.services import account_for
from designer import services
from designer.deploy import clients
from designer.deploy.errors import PublishRefused
from designer.deploy.models import Deployment, DeploymentKind, DeploymentStatus, Target
from designer.deploy.publish import find_state_machine, list_aliases, require_publisher
from designer.deploy.targets import get_target
from designer.models import Workflow, definition_sha256
from executions import arns


def list_state_machines(target: Target, actor) -> list[dict]:
    require_publisher(actor, target)
    sfn = clients.client(target, actor)
    pages = sfn.get_paginator("list_state_machines").paginate()
    return [
        {"name": m["name"], "arn": m["stateMachineArn"], "type": m["type"]}
        for page in pages
        for m in page["stateMachines"]
    ]


def _remote_versions(sfn, arn: str) -> tuple[list[dict], str]:
    """(versions oldest first as {arn, number, description, definition}, a note when the target
    cannot list them)."""
    listed, params = [], {"stateMachineArn": arn}
    try:
        while True:
            page = sfn.list_state_machine_versions(**params)
            listed.extend(v["stateMachineVersionArn"] for v in page["stateMachineVersions"])
            if not page.get("nextToken"):
                break
            params["nextToken"] = page["nextToken"]
    except ClientError as error:
        if not clients.is_unsupported(error):
            raise
        return [], "The target has no ListStateMachineVersions: only the current definition was imported."
    versions = []
    for version_arn in listed:
        described = sfn.describe_state_machine(stateMachineArn=version_arn)
        versions.append(
            {
                "arn": version_arn,
                "number": int(version_arn.rsplit(":", 1)[1]),
                "description": described.get("description", ""),
                "definition": described["definition"],
            }
        )
    return sorted(versions, key=lambda v: v["number"]), ""


def import_state_machine(actor, *, target: Target | str, name: str) -> Workflow:
    if isinstance(target, str):
        target = get_target(actor, target)
    require_publisher(actor, target)
    try:
        sfn = clients.client(target, actor)
        arn = find_state_machine(sfn, name)
        if not arn:
            message = f"{target.name} has no state machine named {name!r}."
            raise PublishRefused("STATE_MACHINE_NOT_FOUND", message, [{"field": "name", "message": message}])
        live = sfn.describe_state_machine(stateMachineArn=arn)
        versions, note = _remote_versions(sfn, arn)
        aliases = []
        for alias_arn in list_aliases(sfn, arn):
            described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
            aliases.append(
                f"{described['name']} → "
                + ", ".join(
                    f"v{r['stateMachineVersionArn'].rsplit(':', 1)[1]} {r['weight']}%"
                    for r in described["routingConfiguration"]
                )
            )
    except clients.CALL_ERRORS as error:
        raise PublishRefused(
            "TARGET_CALL_FAILED", f"{target.name}: {clients.describe_error(error)}"
        ) from error
    workflow = Workflow.objects.filter(owner=actor, name=name).first()
    if workflow is None:
        workflow = services.import_workflow(actor, text=live["definition"], name=name, type=live["type"])
    records = workflow.deployments.filter(kind=DeploymentKind.IMPORT, target=target)
    imported = set(records.values_list("aws_version", flat=True))
    found = {"arn": arn, "aliases": "; ".join(aliases) or "none", "note": note}
    for version in versions:
        if version["number"] not in imported:
            described = f": {version['description']}" if version["description"] else ""
            _import_version(
                workflow, actor, target, found, version, f"v{version['number']} on {target.name}{described}"
            )
    last = records.first()
    if not versions and (last is None or last.definition != live["definition"]):
        current = {"arn": "", "number": None, "definition": live["definition"]}
        _import_version(
            workflow, actor, target, found, current, f"Imported from {target.name} (current definition)"
        )
    _save_draft(workflow, actor, live["definition"])
    return workflow


def _import_version(
    workflow: Workflow, actor, target: Target, found: dict, version: dict, message: str
) -> None:
    _save_draft(workflow, actor, version["definition"])
    local = services.create_version(workflow, actor, message=message)
    detail = f"Aliases: {found['aliases']}." + (f" {found['note']}" if found["note"] else "")
    Deployment.objects.create(
        kind=DeploymentKind.IMPORT,
        workflow=workflow,
        version=local,
        target=target,
        target_name=target.name,
        account=account_for(actor),
        actor=actor,
        status=DeploymentStatus.SUCCEEDED,
        state_machine_name=workflow.name,
        target_account_id=arns.parse(found["arn"]).account,
        state_machine_arn=found["arn"],
        version_arn=version["arn"],
        aws_version=version["number"],
        definition=version["definition"],
        definition_sha256=definition_sha256(version["definition"]),
        steps=[{"name": "import", "call": "DescribeStateMachine", "status": "done", "detail": detail}],
        finished_at=timezone.now(),
    )


def _save_draft(workflow: Workflow, actor, definition: str) -> None:
    draft = workflow.draft
    draft.refresh_from_db()
    if draft.definition != definition:
        services.save_draft(workflow, actor, expected_revision=draft.revision, definition=definition)
