"""Prepare an installation, idempotently: roles, a first admin (printed once), the sample workflows.

Safe to run on every start (`make run` does): groups gain permissions that have appeared since, the
admin is created only on an empty user table, and a sample is loaded only if its owner has no workflow
of that name, so an edited sample is never overwritten.
"""

import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.services import account_id_for
from designer import services
from designer.models import Visibility, Workflow
from designer.roles import apply_roles
from executions.services import event_rules, runs

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"


class Command(BaseCommand):
    help = "Create the roles, on an empty database a first admin (password printed once), and the samples."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-samples", action="store_true", help="Do not load the sample workflows.")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the app is served.")

    def handle(self, *args, no_samples: bool = False, url: str = "http://127.0.0.1:8000/", **options) -> None:
        self.verbose = options.get("verbosity", 1) > 1
        with transaction.atomic():
            self.apply_roles()
            password = self.create_first_admin()
            if not no_samples:
                self.load_samples()
        if password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nFirst admin created. Log in at {url} with\n"
                    f"    username: admin\n    password: {password}\n"
                    "(change it on the admin page; this is shown only once)\n"
                )
            )

    def apply_roles(self) -> None:
        for role, names in apply_roles().items():
            if self.verbose:
                self.stdout.write(f"role {role}: not yet defined, skipped: {', '.join(names)}")

    def create_first_admin(self) -> str | None:
        User = get_user_model()
        if User.objects.exists():
            return None
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        return password

    def load_samples(self) -> None:
        owner = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if owner is None:
            self.stdout.write("No superuser to own the samples; skipped them.")
            return
        manifest = json.loads((SAMPLES_DIR / "samples.json").read_text())
        loaded = []
        for sample in manifest:
            if Workflow.objects.filter(owner=owner, name=sample["name"]).exists():
                continue
            workflow = services.create_workflow(
                owner,
                name=sample["name"],
                description=sample["description"],
                type=sample["type"],
                tags=sample["tags"],
                visibility=Visibility.SHARED,
                definition=(SAMPLES_DIR / sample["file"]).read_text(encoding="utf-8"),
            )
            # The Run dialog offers it: a sample run with `{}` fails at its first JSONPath.
            example = json.dumps(sample["input"], indent=2)
            services.save_test_input(workflow, owner, name="example", input=example)
            if "rule" in sample:
                self.put_sample_rule(workflow, owner, sample["rule"])
            loaded.append(sample["name"])
        if loaded:
            self.stdout.write(f"Loaded sample workflows: {', '.join(loaded)}")

    def put_sample_rule(self, workflow: Workflow, owner, rule: dict) -> None:
        """The sample's local EventBridge rule in the owner's account, targeting the workflow's
        state machine (published now, as its first run would), so a sample that puts the event
        starts it with no set-up."""
        account = account_id_for(owner)
        if any(existing.name == rule["name"] for existing in event_rules.rules_for(account)):
            return
        machine = runs.local_state_machine(workflow, owner)
        event_rules.put_rule(account, rule["name"], json.dumps(rule["pattern"]), machine.arn, owner.pk)
