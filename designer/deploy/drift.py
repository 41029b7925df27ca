"""Drift: a version (as publish would send it to a target) against what the target runs now."""

from dataclasses import asdict, dataclass, field

from botocore.exceptions import BotoCoreError, ClientError

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
        arn = next(
            (
                m["stateMachineArn"]
                for page in sfn.get_paginator("list_state_machines").paginate()
                for m in page["stateMachines"]
                if m["name"] == workflow.name
            ),
            "",
        )
        if not arn:
            diff = publish.unified_diff("", prepared.definition, workflow.name)
            return Drift("", "", prepared.definition, diff, True, error="Not deployed on this target.")
        deployed = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
        aliases = []
        for page in sfn.get_paginator("list_state_machine_aliases").paginate(stateMachineArn=arn):
            for item in page["stateMachineAliases"]:
                described = sfn.describe_state_machine_alias(
                    stateMachineAliasArn=item["stateMachineAliasArn"]
                )
                routing = [
                    {"version": r["stateMachineVersionArn"].rsplit(":", 1)[1], "weight": r["weight"]}
                    for r in described["routingConfiguration"]
                ]
                aliases.append(
                    {"name": described["name"], "arn": item["stateMachineAliasArn"], "routing": routing}
                )
    except (BotoCoreError, ClientError, TargetUnreachable) as error:
        return Drift("", "", prepared.definition, "", False, error=clients.describe_error(error))
    diff = publish.unified_diff(deployed, prepared.definition, workflow.name)
    return Drift(arn, deployed, prepared.definition, diff, bool(diff), aliases)
