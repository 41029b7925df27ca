"""`manage.py create_access_key USER [--description TEXT]`: a new access key for the Step Functions
endpoint, printed once as JSON for scripts and CI:

    {"AccessKeyId": "AKSY...", "SecretAccessKey": "..."}

The fields are those of `aws iam create-access-key`'s AccessKey, flat. The secret is stored
encrypted and cannot be shown again; revoke the key on the Access keys page.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from executions.services import access_keys


class Command(BaseCommand):
    help = "Create an access key for USER and print it as JSON (AccessKeyId, SecretAccessKey)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="The user the key signs requests as.")
        parser.add_argument("--description", default="", help="What the key is for (at most 128 characters).")

    def handle(self, *args, username: str, description: str = "", **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        created = access_keys.create_access_key(user, description)
        self.stdout.write(
            json.dumps({"AccessKeyId": created.access_key_id, "SecretAccessKey": created.secret_access_key})
        )
