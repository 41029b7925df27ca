"""Access keys: the per-user key pairs that sign requests to the Step Functions endpoint."""

import secrets
import string
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from executions.models import AccessKey
from symphony import crypto


@dataclass(frozen=True)
class NewAccessKey:
    """A key just made, with its secret in the clear: the only time anyone sees it."""

    key: AccessKey
    secret_access_key: str = field(repr=False)  # never in a log line or a traceback's repr

    @property
    def access_key_id(self) -> str:
        return self.key.access_key_id


def create_access_key(user, description: str = "") -> NewAccessKey:
    """A new key pair; the secret is shown to its owner once, on creation, and stored encrypted."""
    key_id = "AKSY" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    secret = secrets.token_urlsafe(30)[:40]
    key = AccessKey.objects.create(
        user=user,
        access_key_id=key_id,
        encrypted_secret_access_key=crypto.encrypt(secret),
        # A label: a NUL means nothing in it, and PostgreSQL refuses one.
        description=description.replace("\x00", "")[:128],
    )
    return NewAccessKey(key, secret)


def secret_for_signature(key: AccessKey) -> str:
    """The secret in the clear, for the SigV4 check, and for this server signing as the key's
    owner (a "this Symphony" publish target); never shown or logged."""
    return crypto.decrypt(key.encrypted_secret_access_key)


def revoke_access_key(user, access_key_id: str) -> bool:
    return bool(
        AccessKey.objects.filter(user=user, access_key_id=access_key_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def touch_access_key(key: AccessKey) -> None:
    # At most once a minute: a hot key should not turn every request into a write.
    stale = timezone.now() - timedelta(minutes=1)
    if key.last_used_at is not None and key.last_used_at >= stale:
        return
    AccessKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
    ).update(last_used_at=timezone.now())
