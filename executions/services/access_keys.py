"""Access keys: the per-user key pairs that sign requests to the Step Functions endpoint."""

import secrets
import string
import time
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
    live_keys = AccessKey.objects.filter(user=user, access_key_id=access_key_id, revoked_at__isnull=True)
    revoked = live_keys.update(revoked_at=timezone.now())
    _active.pop(access_key_id, None)
    return bool(revoked)


# The keys requests sign with, kept a moment per process: looking one up with its owner and
# decrypting its secret was a quarter of a StartExecution's CPU. A change in this process
# (revocation, the owner deactivated or moved) forgets them at once; in another process a
# revoked key stops working within KEY_SECONDS.
KEY_SECONDS = 2.0
_active: dict[str, tuple[float, AccessKey, str]] = {}


def active_key(access_key_id: str) -> tuple[AccessKey, str] | None:
    """The usable key of that id (not revoked, its owner active) and its secret, or None."""
    now = time.monotonic()
    kept = _active.get(access_key_id)
    if kept is not None and kept[0] > now:
        return kept[1], kept[2]
    key = (
        # The owner and their account in the same query: every request needs them.
        AccessKey.objects.select_related("user__membership")
        .filter(access_key_id=access_key_id, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if key is None:
        _active.pop(access_key_id, None)
        return None
    if len(_active) > 1000:
        for stale in [k for k, (until, *_) in _active.items() if until <= now]:
            _active.pop(stale, None)
    secret = secret_for_signature(key)
    _active[access_key_id] = (now + KEY_SECONDS, key, secret)
    return key, secret


def forget_keys(**_) -> None:
    """A signal receiver: an owner or a key changed, so no kept key is trusted."""
    _active.clear()


def touch_access_key(key: AccessKey) -> None:
    # At most once a minute: a hot key should not turn every request into a write.
    stale = timezone.now() - timedelta(minutes=1)
    if key.last_used_at is not None and key.last_used_at >= stale:
        return
    AccessKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
    ).update(last_used_at=timezone.now())
