"""boto3 clients for a target: one code path to AWS, moto, LocalStack, another Symphony or this one.

Credentials come from boto3's standard chain (environment, the target's named profile, instance or
container role), then STS AssumeRole with the target's external id when it names a role. A target
that is this Symphony signs with the publisher's own access key, made and used on the server: it
never reaches a browser, a log or a deployment record.
"""

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError
from django.conf import settings
from django.urls import reverse

from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from executions.models import AccessKey
from executions.services import access_keys

# One retry: a publish is resumed by a person (or a pipeline) from its deployment record, so a
# dead endpoint should answer in seconds, not after botocore's backoff.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 2},
    connect_timeout=5,
    read_timeout=60,
    # StartSyncExecution would otherwise prefix the host with "sync-" (a local endpoint has no such host).
    inject_host_prefix=False,
)
PUBLISHING_KEY_DESCRIPTION = "Publishing (used by Symphony on the server)"
SESSION_NAME = "symphony-publish"
# What a call to a target can raise: AWS's error, the network's, or an answer that is not AWS's.
CALL_ERRORS = (BotoCoreError, ClientError, ResponseParserError)


def this_symphony_endpoint() -> str:
    return settings.SYMPHONY_BASE_URL.rstrip("/") + reverse("sfn-endpoint")


def endpoint_for(target: Target) -> str | None:
    return this_symphony_endpoint() if target.this_symphony else (target.endpoint_url or None)


def _publishing_key(user) -> tuple[str, str]:
    """The publisher's own key for this Symphony's endpoint (made on first need): its id and its
    secret, decrypted here to sign with and never shown."""
    key = AccessKey.objects.filter(
        user=user, description=PUBLISHING_KEY_DESCRIPTION, revoked_at__isnull=True
    ).first()
    if key is None:
        created = access_keys.create_access_key(user, PUBLISHING_KEY_DESCRIPTION)
        return created.access_key_id, created.secret_access_key
    return key.access_key_id, access_keys.secret_for_signature(key)


def session_for(target: Target, actor) -> boto3.Session:
    if target.this_symphony:
        key_id, secret = _publishing_key(actor)
        return boto3.Session(
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            region_name=target.region,
        )
    try:
        session = boto3.Session(profile_name=target.profile or None, region_name=target.region)
    except BotoCoreError as error:  # ProfileNotFound names the profile, never a secret
        raise TargetUnreachable(f"Target {target.name}: {error}") from error
    if not target.assume_role_arn:
        return session
    sts = session.client("sts", endpoint_url=target.endpoint_url or None, config=CLIENT_CONFIG)
    params = {"RoleArn": target.assume_role_arn, "RoleSessionName": SESSION_NAME}
    if target.external_id:
        params["ExternalId"] = target.external_id
    try:
        credentials = sts.assume_role(**params)["Credentials"]
    except CALL_ERRORS as error:
        raise TargetUnreachable(
            f"Target {target.name}: could not assume {target.assume_role_arn}: {describe_error(error)}"
        ) from error
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=target.region,
    )


def client(target: Target, actor, service: str = "stepfunctions", session: boto3.Session | None = None):
    session = session or session_for(target, actor)
    endpoint = endpoint_for(target)
    return session.client(service, endpoint_url=endpoint, config=CLIENT_CONFIG)


def describe_error(error: Exception) -> str:
    """AWS's own words for a failed call (error code and message), never the request's credentials."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code", "")
        message = details.get("Message", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status and status >= 500 and message.lstrip().startswith("<"):
            message = "the target failed with an internal error (HTML page)"
        return f"{code}: {message}" if code and message else code or message or str(error)
    return str(error)


def is_unsupported(error: Exception) -> bool:
    """The target does not implement the operation: moto answers 500, others UnknownOperation."""
    if not isinstance(error, ClientError):
        return False
    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return code in {"UnknownOperationException", "InvalidAction", "NotImplemented"} or status in {500, 501}
