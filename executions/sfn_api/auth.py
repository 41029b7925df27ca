"""SigV4 verification of Step Functions requests against per-user access keys.

The canonical request, string to sign and signature are computed by botocore's own
``SigV4Auth`` pieces over exactly the headers the client signed, so the server agrees with
every SDK by construction. On the embedded default (SQLite, no Redis) with DEBUG on, the key
``test`` / ``test`` is accepted too, as local emulators do; it acts as the first admin, in their
account. A key acts in its owner's account, with its owner's roles.
"""

import hmac
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from accounts.services import account_id_for, default_account, first_admin
from executions.models import AccessKey
from executions.services import access_keys
from executions.sfn_api import errors

TEST_KEY = ("test", "test")
MAX_SKEW = timedelta(minutes=15)
AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass(frozen=True)
class Identity:
    access_key_id: str
    region: str
    user: object | None  # the key's owner; the first admin (or nobody) for the DEBUG test key
    account: str  # the 12-digit account every operation acts in
    key: AccessKey | None

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)


def test_key_allowed() -> bool:
    """Only on the embedded default (SQLite, no Redis) with DEBUG on."""
    embedded = connection.vendor == "sqlite" and not getattr(settings, "REDIS_URL", "")
    return bool(settings.DEBUG) and embedded


_test_owner: dict = {"until": 0.0}


def _test_key_owner() -> tuple[object | None, str]:
    """Who the DEBUG test key acts as, and where: the first admin and their account, looked up
    once a few seconds (an emulator's clients send it with every request)."""
    now = time.monotonic()
    if now >= _test_owner["until"]:
        admin = first_admin()
        account = account_id_for(admin) if admin is not None else default_account().pk
        _test_owner.update(until=now + 5.0, admin=admin, account=account)
    return _test_owner["admin"], _test_owner["account"]


def _secret_for(access_key_id: str) -> tuple[str, AccessKey | None]:
    if access_key_id == TEST_KEY[0] and test_key_allowed():
        return TEST_KEY[1], None
    found = access_keys.active_key(access_key_id)
    if found is None:
        raise errors.unrecognized_client()
    key, secret = found
    return secret, key


def authenticate(request: HttpRequest) -> Identity:
    """The caller's identity, or a ProtocolError (403) in AWS's words."""
    header = request.headers.get("Authorization")
    if not header:
        raise errors.missing_authentication()
    match = AUTH_RE.match(header.strip())
    if not match:
        raise errors.incomplete_signature(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters "
            "of an AWS4-HMAC-SHA256 signature."
        )
    scope = match["credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise errors.incomplete_signature(f"Credential should be scoped correctly: '{match['credential']}'")
    access_key_id, date, region, service, _ = scope
    amz_date = request.headers.get("X-Amz-Date", "")
    try:
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise errors.incomplete_signature(
            "Authorization header requires a valid X-Amz-Date header."
        ) from None
    if not amz_date.startswith(date):
        raise errors.invalid_signature("Credential date does not match the X-Amz-Date header.")
    signed_names = match["signed"].split(";")
    if "host" not in signed_names:
        raise errors.invalid_signature("The Host header must be signed.")
    # The operation is named by a header: unsigned, anyone on the path could turn a signed
    # DescribeExecution into a StopExecution. SigV4 requires every x-amz-* header to be signed.
    if "X-Amz-Target" in request.headers and "x-amz-target" not in {n.lower() for n in signed_names}:
        raise errors.incomplete_signature("'X-Amz-Target' must be among the signed headers (SignedHeaders).")
    secret, key = _secret_for(access_key_id)

    headers = {}
    for name in signed_names:
        value = request.headers.get(name)
        if value is None:
            raise errors.invalid_signature()
        headers[name] = value
    aws_request = AWSRequest(
        method=request.method,
        url=f"http://{headers['host']}{request.get_full_path()}",
        headers=headers,
        data=request.body,
    )
    aws_request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(access_key_id, secret), service, region)
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    if not hmac.compare_digest(expected, match["signature"]):
        raise errors.invalid_signature()
    now = datetime.now(UTC)
    if abs(now - signed_at) > MAX_SKEW:
        raise errors.invalid_signature(
            f"Signature expired: {amz_date} is now earlier than "
            f"{(now - MAX_SKEW).strftime('%Y%m%dT%H%M%SZ')} ({now.strftime('%Y%m%dT%H%M%SZ')} - 15 min.)"
        )
    if key is None:  # the DEBUG test key
        admin, account = _test_key_owner()
        return Identity(access_key_id, region, admin, account, None)
    access_keys.touch_access_key(key)  # the settings page shows when a key was last used
    membership = getattr(key.user, "membership", None)
    account = membership.account_id if membership is not None else account_id_for(key.user)
    return Identity(access_key_id, region, key.user, account, key)
