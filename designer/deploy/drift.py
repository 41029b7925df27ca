"""Drift: a version (as publish would send it to a target) against what the target runs now."""

from dataclasses import asdict, dataclass, field

from designer.deploy import clients, publish
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from designer.deploy.targets import get_target
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
        aliases = []
        for alias_arn in publish.list_aliases(sfn, arn):
            described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias_arn)
            routing = [
                {"version": r["stateMachineVersionArn"].rsplit(":", 1)[1], "weight": r["weight"]}
                for r in described["routingConfiguration"]
            ]
            aliases.append({"name": described["name"], "arn": alias_arn, "routing": routing})
    except (*clients.CALL_ERRORS, TargetUnreachable) as error:
        return Drift("", "", prepared.definition, "", False, error=clients.describe_error(error))
    diff = publish.unified_diff(deployed, prepared.definition, workflow.name)
    return Drift(arn, deployed, prepared.definition, diff, bool(diff), aliases)
