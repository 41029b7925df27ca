"""Access keys: the per-user key pairs that sign requests to the Step Functions endpoint."""

import secrets
import string
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from executions.models import AccessKey


def create_access_key(user, description: str = "") -> AccessKey:
    """A new key pair; the secret is shown to its owner once, on creation."""
    key_id = "AKSY" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    secret = secrets.token_urlsafe(30)[:40]
    return AccessKey.objects.create(
        user=user, access_key_id=key_id, secret_access_key=secret, description=description[:128]
    )


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
