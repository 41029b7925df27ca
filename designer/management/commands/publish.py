"""``manage.py publish WORKFLOW --target NAME``: publish a version from a pipeline.

Exit status 0 only on full success (a dry run succeeds when it could plan every call).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from designer.api.deployments import DeploymentSerializer
from designer.deploy import publish
from designer.deploy.models import DeploymentStatus
from designer.management.commands._deploy_cli import command_error, user_named
from designer.models import Workflow
from designer.services import DesignerError


class Command(BaseCommand):
    help = "Publish a workflow version to a target (publishers only)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # The issue's --version N (a workflow version) replaces Django's --version (its own).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("workflow", help="The workflow's name.")
        parser.add_argument("--target", required=True, help="A target of the publisher's account.")
        parser.add_argument("--version", type=int, help="The version number (default: the latest).")
        parser.add_argument("--alias", default="", help="Point this alias at the new version.")
        parser.add_argument("--rollout", default="", help="all-at-once, canary10-5m, linear10-1m, ...")
        parser.add_argument(
            "--max-failures",
            type=int,
            default=0,
            help="Roll back past this many failed executions of the new version.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show every call and the diff; make none.")
        parser.add_argument("--json", action="store_true", help="The deployment record as JSON.")
        parser.add_argument(
            "--as",
            dest="as_user",
            help="The publisher (checked and recorded); default: the workflow's owner.",
        )

    def handle(self, *args, **options) -> None:
        workflow = self._workflow(options["workflow"], options["as_user"])
        actor = user_named(options["as_user"]) if options["as_user"] else workflow.owner
        try:
            deployment = publish.publish(
                workflow,
                actor,
                target=options["target"],
                version_number=options["version"],
                alias=options["alias"],
                dry_run=options["dry_run"],
                rollout=options["rollout"],
                max_failures=options["max_failures"],
            )
        except DesignerError as error:
            raise command_error(error) from error
        if options["json"]:
            self.stdout.write(json.dumps(DeploymentSerializer(deployment).data, indent=2))
        else:
            self._describe(deployment)
        if deployment.status not in {DeploymentStatus.SUCCEEDED, DeploymentStatus.PLANNED}:
            raise CommandError(deployment.error or "The publish failed.")

    def _workflow(self, name: str, as_user: str | None) -> Workflow:
        workflows = Workflow.objects.filter(name=name).select_related("owner")
        if as_user:
            workflows = workflows.filter(pk__in=Workflow.objects.visible_to(user_named(as_user)))
        found = list(workflows[:2])
        if not found:
            raise CommandError(
                f"No workflow named {name!r}" + (f" that {as_user} can see." if as_user else ".")
            )
        if len(found) > 1:
            raise CommandError(f"Several workflows are named {name!r}: say whose with --as.")
        return found[0]

    def _describe(self, deployment) -> None:
        what = "Dry run of" if deployment.dry_run else "Publish of"
        self.stdout.write(
            f"{what} {deployment.workflow.name} v{deployment.version.number} to {deployment.target_name}: "
            f"{deployment.status} (deployment {deployment.pk})"
        )
        for step in deployment.steps:
            self.stdout.write(f"  [{step['status']}] {step['call']}: {step['detail']}")
        if deployment.version_arn:
            self.stdout.write(f"Version {deployment.aws_version}: {deployment.version_arn}")
        if deployment.diff:
            self.stdout.write(deployment.diff)
