"""`manage.py reencrypt_secrets`: re-encrypt every secret at rest under the first key of
SYMPHONY_ENCRYPTION_KEY, the middle step of a key rotation (docs/security-operator.md):
put the new key first, run this, then drop the old key."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from executions.models import AccessKey
from symphony import crypto


class Command(BaseCommand):
    help = "Re-encrypt the stored secrets (access keys) under the first SYMPHONY_ENCRYPTION_KEY."

    def handle(self, *args, **options) -> None:
        count = 0
        with transaction.atomic():
            for key in AccessKey.objects.select_for_update().only("pk", "encrypted_secret_access_key"):
                try:
                    key.encrypted_secret_access_key = crypto.rotate(key.encrypted_secret_access_key)
                except crypto.InvalidToken:
                    raise CommandError(
                        f"Access key {key.pk} opens with none of the configured keys: nothing was changed."
                    ) from None
                key.save(update_fields=["encrypted_secret_access_key"])
                count += 1
        self.stdout.write(f"Re-encrypted {count} access key secret(s).")
