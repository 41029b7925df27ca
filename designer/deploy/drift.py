"""Drift: what a target runs against what Symphony published there (someone edited it in the
console) as kept marks (``DriftCheck``: pages show them without calling the target; a publisher
checks now), and a version (as publish would send it) against what the target runs.
"""

import contextlib
import json
from dataclasses import asdict, dataclass, field

from designer import asl, formats
from designer.deploy import clients, marks, publish, substitutions
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Deployment, DriftCheck, DriftStatus, Target
from designer.deploy.publish import require_publisher
from designer.deploy.targets import get_target, targets_for
from designer.models import Workflow


@dataclass
class Drift:
    state_machine_arn: str
    deployed: str  # the live definition ("" when there is no state machine of that name)
    expected: str  # the version's definition after the target's substitutions
    diff: str
    drifted: bool
    aliases: list[dict] = field(default_factory=list)  # {name, arn, routing: [{version, weight}]}
    error: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def drift(workflow: Workflow, actor, *, target: Target | str, version_number: int | None = None) -> Drift:
    """Read-only: DescribeStateMachine and the aliases' routing; no version is needed on the target."""
    if isinstance(target, str):
        target = get_target(actor, target)
    prepared = publish.prepare(workflow, actor, target, version_number, "")
    try:
        sfn = clients.client(target, actor)
        arn = publish.find_state_machine(sfn, workflow.name)
        if not arn:
            diff = publish.unified_diff("", prepared.definition, workflow.name)
            return Drift("", "", prepared.definition, diff, True, error="Not deployed on this target.")
        deployed = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
        aliases = _aliases(sfn, arn)
    except (*clients.CALL_ERRORS, TargetUnreachable) as error:
        return Drift("", "", prepared.definition, "", False, error=clients.describe_error(error))
    diff = publish.unified_diff(deployed, prepared.definition, workflow.name)
    return Drift(arn, deployed, prepared.definition, diff, bool(diff), aliases)


# -- checking now: what runs on a target against what Symphony last published there ------------


def _same(deployed: str, published: str) -> bool:
    """The same definition: equal text, or equal JSON (the console may re-indent what it saves)."""
    if deployed == published:
        return True
    try:
        return json.loads(deployed) == json.loads(published)
    except ValueError:
        return False


def check(workflow: Workflow, actor, target: Target) -> DriftCheck:
    """Look now (DescribeStateMachine and the aliases' routing) and keep what was seen."""
    require_publisher(actor, target)
    baseline = marks.last_publish(workflow, target)
    fields: dict = {"published": baseline.definition if baseline else "", "published_deployment": baseline}
    try:
        sfn = clients.client(target, actor)
        arn = publish.find_state_machine(sfn, baseline.state_machine_name if baseline else workflow.name)
        if not arn:
            message = "No state machine of this name on the target" + (
                " any more: it was deleted there." if baseline else "."
            )
            status = DriftStatus.DRIFTED if baseline else DriftStatus.NOT_DEPLOYED
            return marks.save_check(workflow, target, actor, status=status, message=message, **fields)
        deployed = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
        aliases = _aliases(sfn, arn)
    except (*clients.CALL_ERRORS, TargetUnreachable) as error:
        return marks.save_check(
            workflow,
            target,
            actor,
            status=DriftStatus.UNKNOWN,
            message=clients.describe_error(error),
            **fields,
        )
    if baseline is None:
        status, message = (
            DriftStatus.UNKNOWN,
            "A state machine of this name runs there; it was not published from here.",
        )
    elif _same(deployed, baseline.definition):
        status, message = DriftStatus.IN_SYNC, f"Runs what version {baseline.version.number} published."
    else:
        status = DriftStatus.DRIFTED
        message = (
            f"Changed on the target since version {baseline.version.number} was published "
            f"{baseline.created_at:%Y-%m-%d %H:%M} UTC."
        )
    return marks.save_check(
        workflow,
        target,
        actor,
        status=status,
        state_machine_arn=arn,
        deployed=deployed,
        message=message,
        aliases=aliases,
        **fields,
    )


def check_all(workflow: Workflow, actor) -> list[DriftCheck]:
    """Check now on every target of the publisher's account this workflow was published to."""
    published_to = Target.objects.filter(
        pk__in=Deployment.objects.filter(workflow=workflow, dry_run=False).values("target")
    ) & targets_for(actor)
    return [check(workflow, actor, target) for target in published_to]


def compare_sides(workflow: Workflow, check: DriftCheck) -> list[dict]:
    """The three texts side by side: deployed on the target, as Symphony published it, and the
    draft with the target's substitutions applied (so only real edits differ)."""
    published = check.published_deployment
    label = f"Published v{published.version.number}" if published else "Published"
    if published and published.aws_version:
        label += f" (AWS version {published.aws_version})"
    sides = [
        {"key": "deployed", "label": f"Deployed on {check.target.name}", "text": check.deployed},
        {"key": "published", "label": label, "text": check.published},
    ]
    draft = workflow.draft.definition
    with contextlib.suppress(asl.ParseError):  # a draft that does not parse is compared as written
        draft = substitutions.substitute(formats.convert(draft, "json"), check.target.substitutions)
    sides.append({"key": "draft", "label": "Draft", "text": draft})
    return sides


def _aliases(sfn, arn: str) -> list[dict]:
    aliases = []
    for alias_arn in publish.list_aliases(sfn, arn):
        described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
        routing = [
            {"version": r["stateMachineVersionArn"].rsplit(":", 1)[1], "weight": r["weight"]}
            for r in described["routingConfiguration"]
        ]
        aliases.append({"name": described["name"], "arn": alias_arn, "routing": routing})
    return aliases
