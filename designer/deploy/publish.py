"""Publish a workflow version to a target, as a deployment record of each step's outcome.

Before any call: the publisher's permission, the version, the substitutions (an unresolved
``${...}`` stops it, each listed with its place), the 1 MiB limit and local validation. Then, each
step saved as it ends: ValidateStateMachineDefinition on the target; find the state machine by name
(a type change is refused, as AWS refuses it); create it (published at once) or update it;
PublishStateMachineVersion with the version's message and the update's revisionId, so a concurrent
update by someone else fails the publish instead of publishing their definition; point the alias.

A dry run makes only the read calls (validate, list, describe) and records the writes it would
make and the definition diff. A failed deployment says which steps were done; ``retry`` goes on
from the first step that was not.
"""

import difflib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

from botocore.exceptions import ClientError
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.permissions import Action, allowed
from accounts.services import account_for
from designer import asl, formats
from designer.deploy import clients, live, marks, strategies, substitutions
from designer.deploy.errors import PublishRefused, TargetUnreachable
from designer.deploy.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    LogLevel,
    Rollout,
    RolloutStrategy,
    Target,
)
from designer.deploy.targets import get_target
from designer.models import Version, Workflow, definition_sha256
from designer.services import NotAllowed
from executions import arns

# Step Functions alias names: 1-80 of letters, digits, '-' and '_', not only digits (a version's place).
ALIAS_RE = re.compile(r"^(?=.*[A-Za-z_-])[A-Za-z0-9_-]{1,80}$")
StepHook = Callable[[Deployment, dict], None]
# A publish makes a handful of calls; RUNNING with no step saved for this long means its process died.
STALE_AFTER = timedelta(minutes=10)


class StepFailed(Exception):
    pass


@dataclass
class Prepared:
    workflow: Workflow
    version: Version
    target: Target
    definition: str  # JSON, substituted: what is sent


def _step(name: str, call: str) -> dict:
    return {"name": name, "call": call, "status": "pending", "detail": ""}


def require_publisher(actor, target: Target) -> None:
    if not allowed(actor, Action.PUBLISH, target.account_id):
        raise NotAllowed("Only publishers may publish (ask for the publishers role).")


def prepare(workflow: Workflow, actor, target: Target, version_number: int | None, alias: str) -> Prepared:
    """Everything checked before the first call to the target; PublishRefused says what stops it."""
    require_publisher(actor, target)
    versions = workflow.versions.all()
    version = versions.filter(number=version_number).first() if version_number else versions.first()
    if version is None:
        which = f"version {version_number}" if version_number else "a version"
        raise PublishRefused(
            "VERSION_NOT_FOUND",
            f"{workflow.name} has no {which}.",
            [{"field": "version", "message": "Take a version first."}],
        )
    if alias and not ALIAS_RE.match(alias):
        message = f"{alias!r} is not an alias name: 1-80 letters, digits, '-' or '_', not only digits."
        raise PublishRefused("INVALID_ALIAS", message, [{"field": "alias", "message": message}])
    published_as = (
        Deployment.objects.filter(
            workflow=workflow, target=target, kind=DeploymentKind.PUBLISH, dry_run=False
        )
        .exclude(state_machine_arn="")
        .values_list("state_machine_name", flat=True)
        .first()
    )
    if published_as and published_as != workflow.name:
        message = (
            f"This workflow was published to {target.name} as {published_as!r}; it is now named "
            f"{workflow.name!r}, and publishing would make a second state machine. Rename it back, "
            "or delete the old state machine."
        )
        raise PublishRefused("WORKFLOW_RENAMED", message, [{"field": "name", "message": message}])
    try:
        text = formats.convert(version.definition, "json")
    except asl.ParseError as error:  # a stored version always parses; kept as a clear refusal
        raise PublishRefused("INVALID_JSON_DESCRIPTION", str(error)) from error
    document = asl.parse(text, format="json").value
    missing = substitutions.unresolved(document, target.substitutions)
    if missing:
        names = sorted({p.name for p in missing})
        listed = ", ".join("${" + n + "}" for n in names)
        message = f"Unresolved substitution(s) {listed}: add them to target {target.name}."
        errors = [
            {
                "field": "substitutions",
                **p.to_dict(),
                "message": f"${{{p.name}}} has no value on {target.name}.",
            }
            for p in missing
        ]
        raise PublishRefused("UNRESOLVED_SUBSTITUTION", message, errors)
    definition = substitutions.substitute(text, target.substitutions)
    size = len(definition.encode("utf-8"))
    if size > settings.MAX_DEFINITION_BYTES:
        message = (
            f"After substitution the definition is {size:,} bytes; the limit is "
            f"{settings.MAX_DEFINITION_BYTES:,} bytes (1 MiB, as in AWS)."
        )
        raise PublishRefused("DEFINITION_TOO_LARGE", message, [{"field": "definition", "message": message}])
    diagnostics = [d for d in asl.validate(definition, type=workflow.type, format="json") if d.is_error]
    if diagnostics:
        raise PublishRefused(
            "DEFINITION_INVALID",
            f"The definition has {len(diagnostics)} error(s) after substitution.",
            [{"field": "definition", **d.to_dict()} for d in diagnostics],
        )
    return Prepared(workflow, version, target, definition)


def publish(
    workflow: Workflow,
    actor,
    *,
    target: Target | str,
    version_number: int | None = None,
    alias: str = "",
    dry_run: bool = False,
    rollout: str = "",
    max_failures: int = 0,
    on_step: StepHook | None = None,
) -> Deployment:
    """Publish (or plan, with ``dry_run``) and return the deployment record, succeeded or failed.

    ``rollout`` (e.g. ``canary10-5m``) shifts the alias gradually instead of at once, rolling
    back by itself past ``max_failures`` failed executions of the new version."""
    if isinstance(target, str):
        target = get_target(actor, target)
    prepared = prepare(workflow, actor, target, version_number, alias)
    plan = strategies.parse(rollout)
    if plan.strategy != RolloutStrategy.ALL_AT_ONCE and not alias:
        message = "A gradual rollout shifts an alias: name one."
        raise PublishRefused("ALIAS_REQUIRED", message, [{"field": "alias", "message": message}])
    if not isinstance(max_failures, int) or max_failures < 0:
        message = "The failure threshold is a whole number, 0 or more."
        raise PublishRefused("INVALID_THRESHOLD", message, [{"field": "max_failures", "message": message}])
    steps = [
        _step("validate", "ValidateStateMachineDefinition"),
        _step("find", "ListStateMachines"),
        _step("write", "CreateStateMachine or UpdateStateMachine"),
        _step("publish", "PublishStateMachineVersion"),
    ]
    if alias:
        steps.append(_step("alias", "CreateStateMachineAlias or UpdateStateMachineAlias"))
        if plan.strategy != RolloutStrategy.ALL_AT_ONCE:
            steps[-1]["rollout"] = {**asdict(plan), "max_failures": max_failures}
    deployment = Deployment.objects.create(
        workflow=workflow,
        version=prepared.version,
        target=target,
        target_name=target.name,
        account=account_for(actor),
        actor=actor,
        dry_run=dry_run,
        status=DeploymentStatus.RUNNING,
        alias=alias,
        state_machine_name=workflow.name,
        definition=prepared.definition,
        definition_sha256=definition_sha256(prepared.definition),
        steps=steps,
    )
    return _run(deployment, prepared, actor, on_step)


def retry(deployment: Deployment, actor, on_step: StepHook | None = None) -> Deployment:
    """Go on with a failed deployment from its first step that was not done; also one left
    RUNNING by a process that died (no step saved for STALE_AFTER)."""
    if deployment.target is None:
        raise PublishRefused(
            "TARGET_GONE", f"Target {deployment.target_name} was removed; publish again elsewhere."
        )
    require_publisher(actor, deployment.target)
    stale = Q(status=DeploymentStatus.RUNNING, updated_at__lt=timezone.now() - STALE_AFTER)
    claimed = Deployment.objects.filter(
        Q(status=DeploymentStatus.FAILED) | stale,
        pk=deployment.pk,
        kind=DeploymentKind.PUBLISH,
        dry_run=False,
    ).update(
        status=DeploymentStatus.RUNNING,
        error="",
        finished_at=None,
        attempts=deployment.attempts + 1,
        updated_at=timezone.now(),
    )
    if not claimed:
        raise PublishRefused(
            "NOT_RETRYABLE",
            "Only a failed publish (not a dry run), or one nothing has moved for "
            f"{STALE_AFTER.seconds // 60} minutes, can be retried.",
        )
    deployment.refresh_from_db()
    prepared = Prepared(deployment.workflow, deployment.version, deployment.target, deployment.definition)
    return _run(deployment, prepared, actor, on_step)


# -- the steps -----------------------------------------------------------------------------------


class _Context:
    def __init__(self, deployment: Deployment, prepared: Prepared, actor) -> None:
        self.deployment, self.prepared, self.actor = deployment, prepared, actor
        self.target = prepared.target
        self.sfn = clients.client(self.target, actor)

    @property
    def dry_run(self) -> bool:
        return self.deployment.dry_run

    def write_params(self) -> dict:
        target = self.target
        params: dict = {"definition": self.prepared.definition, "roleArn": target.role_arn}
        logging = {"level": target.log_level, "includeExecutionData": target.include_execution_data}
        if target.log_level != LogLevel.OFF:
            logging["destinations"] = [{"cloudWatchLogsLogGroup": {"logGroupArn": target.log_group_arn}}]
        params["loggingConfiguration"] = logging
        params["tracingConfiguration"] = {"enabled": target.tracing_enabled}
        return params


def _shown(params: dict) -> dict:
    """A call's parameters for the record: the definition by size and sha256, not its text."""
    shown = dict(params)
    if "definition" in shown:
        text = shown["definition"]
        shown["definition"] = f"<{len(text.encode('utf-8')):,} bytes, sha256 {definition_sha256(text)[:12]}>"
    return shown


def _validate(ctx: _Context, step: dict) -> str:
    try:
        result = ctx.sfn.validate_state_machine_definition(
            definition=ctx.prepared.definition, type=ctx.prepared.workflow.type
        )
    except ClientError as error:
        if clients.is_unsupported(error):
            step["status"] = "skipped"
            return "The target has no ValidateStateMachineDefinition: validated locally only."
        raise
    if result.get("result") != "OK":
        found = "; ".join(
            f"{d.get('code')} at {d.get('location') or '/'}: {d.get('message')}"
            for d in result.get("diagnostics", [])
        )
        raise StepFailed(f"The target rejected the definition: {found}")
    return "The target validated the definition."


def _find(ctx: _Context, step: dict) -> str:
    name = ctx.deployment.state_machine_name
    arn = find_state_machine(ctx.sfn, name)
    if not arn:
        ctx.deployment.diff = unified_diff("", ctx.prepared.definition, name)
        return f"No state machine named {name} yet: it will be created."
    step["call"] = "ListStateMachines, DescribeStateMachine"
    live = ctx.sfn.describe_state_machine(stateMachineArn=arn)
    wanted = ctx.prepared.workflow.type
    if live["type"] != wanted:
        raise StepFailed(
            f"State machine {name} on {ctx.target.name} is {live['type']} and this workflow is {wanted}: "
            "AWS cannot change a state machine's type. Change the workflow's type back, "
            "or delete the state machine."
        )
    ctx.deployment.state_machine_arn = arn
    ctx.deployment.target_account_id = arns.parse(arn).account
    ctx.deployment.diff = unified_diff(live.get("definition", ""), ctx.prepared.definition, name)
    return f"Found {arn}: it will be updated" + (
        "." if ctx.deployment.diff else " (the definition is unchanged)."
    )


def _write(ctx: _Context, step: dict) -> str:
    deployment, params = ctx.deployment, ctx.write_params()
    description = ctx.prepared.version.message
    if not deployment.state_machine_arn:
        params.update(
            name=deployment.state_machine_name,
            type=ctx.prepared.workflow.type,
            publish=True,
            versionDescription=description,
        )
        if ctx.target.tags:
            params["tags"] = [{"key": k, "value": v} for k, v in ctx.target.tags.items()]
        step.update(call="CreateStateMachine", params=_shown(params))
        if ctx.dry_run:
            return "Would create the state machine and publish its version 1."
        created = ctx.sfn.create_state_machine(**params)
        deployment.state_machine_arn = created["stateMachineArn"]
        deployment.target_account_id = arns.parse(created["stateMachineArn"]).account
        _set_version(deployment, created.get("stateMachineVersionArn", ""))
        return f"Created {deployment.state_machine_arn} and published version {deployment.aws_version}."
    params["stateMachineArn"] = deployment.state_machine_arn
    step.update(call="UpdateStateMachine", params=_shown(params))
    if ctx.dry_run:
        return "Would update the state machine."
    updated = ctx.sfn.update_state_machine(**params)
    deployment.revision_id = updated.get("revisionId", "")
    return f"Updated {deployment.state_machine_arn}" + (
        f" (revision {deployment.revision_id})." if deployment.revision_id else "."
    )


def _publish(ctx: _Context, step: dict) -> str:
    deployment = ctx.deployment
    if deployment.version_arn:
        step["status"] = "skipped"
        return f"Published by CreateStateMachine: {deployment.version_arn}."
    params = {"stateMachineArn": deployment.state_machine_arn, "description": ctx.prepared.version.message}
    if deployment.revision_id:
        params["revisionId"] = deployment.revision_id
    step["params"] = params
    if ctx.dry_run:
        return "Would publish a version" + (
            " of the update's revision." if deployment.state_machine_arn else "."
        )
    try:
        published = ctx.sfn.publish_state_machine_version(**params)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code == "ConflictException":
            raise StepFailed(
                "The state machine changed after this deployment updated it "
                f"(revision {deployment.revision_id} is stale): someone else changed it meanwhile. "
                "Nothing was published; publish again. "
                f"({clients.describe_error(error)})"
            ) from error
        if not clients.is_unsupported(error):
            raise
        # moto has no PublishStateMachineVersion: UpdateStateMachine publishes instead (no revision check).
        step["call"] = "UpdateStateMachine (publish=true)"
        fallback = {**ctx.write_params(), "stateMachineArn": deployment.state_machine_arn}
        fallback.update(publish=True, versionDescription=ctx.prepared.version.message)
        step["params"] = _shown(fallback)
        published = {
            "stateMachineVersionArn": ctx.sfn.update_state_machine(**fallback)["stateMachineVersionArn"]
        }
        _set_version(deployment, published["stateMachineVersionArn"])
        return (
            f"Published version {deployment.aws_version} with UpdateStateMachine(publish=true): "
            "the target has no PublishStateMachineVersion, so the revisionId was not checked."
        )
    _set_version(deployment, published["stateMachineVersionArn"])
    return f"Published version {deployment.aws_version}: {deployment.version_arn}."


def _alias(ctx: _Context, step: dict) -> str:
    deployment = ctx.deployment
    if ctx.dry_run and not deployment.state_machine_arn:
        step["call"] = "CreateStateMachineAlias"
        return f"Would create alias {deployment.alias} pointing to version 1."
    alias_arn = find_alias(ctx.sfn, deployment.state_machine_arn, deployment.alias)
    version = deployment.version_arn or "the new version"
    routing = [{"stateMachineVersionArn": deployment.version_arn, "weight": 100}]
    if alias_arn and step.get("rollout"):
        shifted = _start_rollout(ctx, step, alias_arn)
        if shifted:
            return shifted
    if alias_arn:
        step.update(
            call="UpdateStateMachineAlias",
            params={"stateMachineAliasArn": alias_arn, "routingConfiguration": routing},
        )
        if ctx.dry_run:
            return f"Would point alias {deployment.alias} at {version}."
        ctx.sfn.update_state_machine_alias(stateMachineAliasArn=alias_arn, routingConfiguration=routing)
        deployment.alias_arn = alias_arn
        return f"Pointed {alias_arn} at version {deployment.aws_version}."
    params = {
        "name": deployment.alias,
        "routingConfiguration": routing,
        "description": "Published by Symphony",
    }
    step.update(call="CreateStateMachineAlias", params=params)
    if ctx.dry_run:
        return f"Would create alias {deployment.alias} pointing to {version}."
    deployment.alias_arn = ctx.sfn.create_state_machine_alias(**params)["stateMachineAliasArn"]
    return f"Created {deployment.alias_arn} pointing to version {deployment.aws_version}."


def _start_rollout(ctx: _Context, step: dict, alias_arn: str) -> str:
    """Route the plan's first share of the alias to the new version and leave a Rollout row to go
    on from; "" when the alias has no other version to shift from (then it moves at once)."""
    deployment, plan = ctx.deployment, step["rollout"]
    routes = ctx.sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)["routingConfiguration"]
    old = max(routes, key=lambda r: r["weight"])["stateMachineVersionArn"]
    if old == deployment.version_arn and not ctx.dry_run:
        return ""
    percent = plan["percent"]
    what = f"{plan['strategy'].lower()} {percent}% every {plan['interval_seconds']} s"
    if plan["strategy"] == RolloutStrategy.CANARY:
        what = f"canary {percent}% for {plan['interval_seconds']} s, then all"
    new = deployment.version_arn or "the new version"
    routing = [
        {"stateMachineVersionArn": new, "weight": percent},
        {"stateMachineVersionArn": old, "weight": 100 - percent},
    ]
    step.update(
        call="UpdateStateMachineAlias",
        params={"stateMachineAliasArn": alias_arn, "routingConfiguration": routing},
    )
    if ctx.dry_run:
        return f"Would start a rollout of {deployment.alias} ({what}) from {old}."
    ctx.sfn.update_state_machine_alias(stateMachineAliasArn=alias_arn, routingConfiguration=routing)
    deployment.alias_arn = alias_arn
    rollout = Rollout.objects.create(
        deployment=deployment,
        strategy=plan["strategy"],
        percent=percent,
        interval_seconds=plan["interval_seconds"],
        max_failures=plan["max_failures"],
        alias_arn=alias_arn,
        old_version_arn=old,
        new_version_arn=deployment.version_arn,
        weight=percent,
        next_step_at=timezone.now() + timedelta(seconds=plan["interval_seconds"]),
        events=[{"at": timezone.now().isoformat(), "message": f"{percent}% on the new version ({what})."}],
    )
    live.announce(rollout)
    return f"Rollout started ({what}): {percent}% of {deployment.alias} on version {deployment.aws_version}."


STEPS: dict[str, Callable[[_Context, dict], str]] = {
    "validate": _validate,
    "find": _find,
    "write": _write,
    "publish": _publish,
    "alias": _alias,
}
READ_STEPS = {"validate", "find"}


def find_state_machine(sfn, name: str) -> str:
    """The ARN of the state machine of that name, or "" (Step Functions matches by name)."""
    pages = sfn.get_paginator("list_state_machines").paginate()
    return next(
        (m["stateMachineArn"] for page in pages for m in page["stateMachines"] if m["name"] == name), ""
    )


def list_aliases(sfn, state_machine_arn: str) -> list[str]:
    """Every alias ARN of a state machine (botocore has no paginator for this one)."""
    found, params = [], {"stateMachineArn": state_machine_arn}
    while True:
        page = sfn.list_state_machine_aliases(**params)
        found.extend(alias["stateMachineAliasArn"] for alias in page["stateMachineAliases"])
        if not page.get("nextToken"):
            return found
        params["nextToken"] = page["nextToken"]


def find_alias(sfn, state_machine_arn: str, name: str) -> str:
    return next((arn for arn in list_aliases(sfn, state_machine_arn) if arn.rsplit(":", 1)[1] == name), "")


def _set_version(deployment: Deployment, version_arn: str) -> None:
    deployment.version_arn = version_arn
    qualifier = version_arn.rsplit(":", 1)[1] if version_arn.count(":") >= 7 else ""
    deployment.aws_version = int(qualifier) if qualifier.isdigit() else None


def unified_diff(live: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(
        live.splitlines(keepends=True),
        new.splitlines(keepends=True),
        f"{name} (deployed)",
        f"{name} (this version)",
    )
    return "".join(lines)


def _run(deployment: Deployment, prepared: Prepared, actor, on_step: StepHook | None) -> Deployment:
    try:
        ctx = _Context(deployment, prepared, actor)
    except TargetUnreachable as error:
        return _finish(deployment, DeploymentStatus.FAILED, str(error))
    for step in deployment.steps:
        if step["status"] in {"done", "skipped"}:
            continue
        if deployment.dry_run and step["name"] not in READ_STEPS:
            step["status"] = "planned"
        else:
            step["status"] = "done"
        try:
            step["detail"] = STEPS[step["name"]](ctx, step)
        except (StepFailed, *clients.CALL_ERRORS) as error:
            step["status"] = "failed"
            step["detail"] = str(error) if isinstance(error, StepFailed) else clients.describe_error(error)
            done = [s["call"] for s in deployment.steps if s["status"] == "done"]
            left = [s["call"] for s in deployment.steps if s["status"] == "pending"]
            summary = (
                f"{step['call']} failed: {step['detail'].rstrip('.')}. Done: {', '.join(done) or 'nothing'}. "
                f"Not done: {', '.join(left) or 'nothing else'}."
            )
            return _finish(deployment, DeploymentStatus.FAILED, summary, on_step, step)
        deployment.save()
        if on_step:
            on_step(deployment, step)
    if deployment.dry_run:
        return _finish(deployment, DeploymentStatus.PLANNED, "")
    _finish(deployment, DeploymentStatus.SUCCEEDED, "")
    marks.record_published(deployment)
    return deployment


def _finish(
    deployment: Deployment, status: str, error: str, on_step: StepHook | None = None, step: dict | None = None
) -> Deployment:
    deployment.status, deployment.error, deployment.finished_at = status, error, timezone.now()
    with transaction.atomic():
        deployment.save()
    if on_step and step:
        on_step(deployment, step)
    return deployment
