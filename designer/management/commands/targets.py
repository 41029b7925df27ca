"""``manage.py targets add|list|remove|test``: the targets a publisher's account publishes to."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.permissions import Action, allowed
from designer.api.targets import TargetSerializer
from designer.deploy import connection, targets
from designer.management.commands._deploy_cli import command_error, user_named
from designer.services import DesignerError


def _pairs(option: str, items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items or []:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise CommandError(f"{option} {item!r}: write KEY=VALUE.")
        pairs[key] = value
    return pairs


class Command(BaseCommand):
    help = "Add, list, remove or test publishing targets (publishers only)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a target.")
        add.add_argument("name")
        add.add_argument("--region", required=True)
        add.add_argument("--role-arn", required=True, help="The IAM role the state machines run as.")
        add.add_argument("--endpoint-url", default="")
        add.add_argument("--profile", default="", help="A named profile of this server's AWS config.")
        add.add_argument(
            "--assume-role", default="", help="A role to assume for publishing (STS AssumeRole)."
        )
        add.add_argument("--external-id", default="")
        add.add_argument(
            "--this-symphony", action="store_true", help="Publish to this Symphony's own endpoint."
        )
        add.add_argument("--substitution", action="append", metavar="KEY=VALUE", help="${KEY} becomes VALUE.")
        add.add_argument("--tag", action="append", metavar="KEY=VALUE")
        add.add_argument("--owner", help="The publisher whose account holds it (default: the first admin).")
        listing = sub.add_parser("list", help="List your account's targets.")
        listing.add_argument("--json", action="store_true")
        listing.add_argument("--owner")
        remove = sub.add_parser("remove", help="Remove a target (its deployments stay).")
        remove.add_argument("name")
        remove.add_argument("--owner")
        test = sub.add_parser("test", help="Test connection: the identity and account a target reaches.")
        test.add_argument("name")
        test.add_argument("--json", action="store_true")
        test.add_argument("--owner")

    def handle(self, *args, action: str, **options) -> None:
        user = user_named(options.get("owner"))
        try:
            getattr(self, action)(user, options)
        except DesignerError as error:
            raise command_error(error) from error

    def add(self, user, options: dict) -> None:
        target = targets.create_target(
            user,
            name=options["name"],
            region=options["region"],
            role_arn=options["role_arn"],
            endpoint_url=options["endpoint_url"],
            profile=options["profile"],
            assume_role_arn=options["assume_role"],
            external_id=options["external_id"],
            this_symphony=options["this_symphony"],
            substitutions=_pairs("--substitution", options["substitution"]),
            tags=_pairs("--tag", options["tag"]),
        )
        self.stdout.write(f"Added target {target.name} ({target.region}) to account {target.account_id}.")

    def list(self, user, options: dict) -> None:
        if not allowed(user, Action.PUBLISH):
            raise CommandError("Only publishers may see targets.")
        found = targets.targets_for(user)
        if options["json"]:
            self.stdout.write(json.dumps(TargetSerializer(found, many=True).data, indent=2))
            return
        for target in found:
            where = "this Symphony" if target.this_symphony else target.endpoint_url or "AWS"
            self.stdout.write(f"{target.name}\t{target.region}\t{where}\t{target.role_arn}")

    def remove(self, user, options: dict) -> None:
        targets.delete_target(targets.get_target(user, options["name"]), user)
        self.stdout.write(f"Removed target {options['name']}.")

    def test(self, user, options: dict) -> None:
        report = connection.test_connection(targets.get_target(user, options["name"]), user)
        self.stdout.write(json.dumps(report.to_dict(), indent=2) if options["json"] else report.message)
        if not report.ok:
            raise CommandError("The connection test failed.")
