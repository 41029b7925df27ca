"""Per-target API tokens for ``POST /api/approvals/``: made by a publisher of the target's account,
shown once, kept as the SHA-256 of their secret, revocable."""

import hashlib
import hmac
import re
import secrets

from django.utils import timezone

from accounts.permissions import Action, require
from designer.deploy.models import Target
from executions.approvals.models import ApprovalToken

PREFIX = "sya_"
# sya_<16 hex: the key id, looked up>_<43 url-safe base64: 256 random bits, compared by hash>
TOKEN_RE = re.compile(r"^sya_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(target: Target, actor, description: str = "") -> tuple[ApprovalToken, str]:
    """A new token for ``target`` and its plaintext, which nothing keeps: show it once."""
    require(actor, Action.PUBLISH, target.account_id)
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    token = ApprovalToken.objects.create(
        target=target, key_id=key_id, secret_sha256=_digest(secret), created_by=actor, description=description
    )
    return token, f"{PREFIX}{key_id}_{secret}"


def revoke(token: ApprovalToken, actor) -> None:
    require(actor, Action.PUBLISH, token.target.account_id)
    ApprovalToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate(presented: str) -> ApprovalToken | None:
    """The live token ``presented`` is, or None (malformed, unknown, forged or revoked)."""
    match = TOKEN_RE.match(presented)
    if match is None:
        return None
    key_id, secret = match.groups()
    token = ApprovalToken.objects.select_related("target").filter(key_id=key_id).first()
    # Compared in constant time whatever the row, so timing tells nothing about the secret.
    expected = token.secret_sha256 if token is not None else "0" * 64
    if not hmac.compare_digest(expected, _digest(secret)) or token is None or token.revoked_at:
        return None
    ApprovalToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
