"""Deploy Symphony's request-approval function to a target's AWS Lambda (CreateFunction, or
UpdateFunctionCode and UpdateFunctionConfiguration when it exists) through the target's boto3
client, with a new approvals API token of the target in its environment; the token the function
held before is revoked once the new one is in place."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from botocore.exceptions import ClientError
from django.conf import settings
from django.utils import timezone

from accounts.permissions import Action, require
from designer.deploy import clients
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from designer.deploy.targets import ROLE_ARN_RE
from executions.approvals import api_tokens, lambda_handler
from executions.approvals.models import ApprovalToken

FUNCTION_NAME = "symphony-request-approval"
# A supported Lambda Python runtime (Lambda Developer Guide, "Lambda runtimes").
RUNTIME = "python3.12"
HANDLER = "lambda_handler.handler"
TIMEOUT_SECONDS = 30  # the handler's one call waits at most 10 s
# Lambda's function name: 1-64 letters, digits, '-' or '_' (Lambda API Reference, CreateFunction).
FUNCTION_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class DeployRefused(Exception):
    pass


@dataclass
class Deployed:
    function_arn: str
    created: bool
    token_key_id: str


def package() -> bytes:
    """The deployment package: the handler file alone, at the zip's root, with a fixed date, so
    the same code is the same package (and the same CodeSha256)."""
    entry = zipfile.ZipInfo("lambda_handler.py", date_time=(1980, 1, 1, 0, 0, 0))
    entry.external_attr = 0o644 << 16  # readable by the runtime's user
    entry.compress_type = zipfile.ZIP_DEFLATED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry, Path(lambda_handler.__file__).read_bytes())
    return buffer.getvalue()


def _check(target: Target, function_name: str, role_arn: str) -> None:
    if target.this_symphony:
        raise DeployRefused("This Symphony has no AWS Lambda: its workflows ask reviewers directly.")
    if not 1 <= len(function_name) <= 64 or not set(function_name) <= FUNCTION_NAME_CHARS:
        raise DeployRefused("A function name is 1-64 letters, digits, '-' or '_'.")
    if not ROLE_ARN_RE.match(role_arn):
        raise DeployRefused(f"{role_arn!r} is not an IAM role ARN (arn:aws:iam::123456789012:role/name).")


def deploy(target: Target, actor, *, role_arn: str, function_name: str = FUNCTION_NAME) -> Deployed:
    require(actor, Action.PUBLISH, target.account_id)
    role_arn, function_name = role_arn.strip(), function_name.strip()
    _check(target, function_name, role_arn)
    description = f"Lambda {function_name}"
    before = list(target.approval_tokens.filter(description=description, revoked_at__isnull=True))
    token, text = api_tokens.issue(target, actor, description=description)
    environment = {
        "Variables": {
            "SYMPHONY_URL": settings.SYMPHONY_BASE_URL.rstrip("/"),
            "SYMPHONY_APPROVALS_TOKEN": text,
            "SYMPHONY_TARGET": target.name,
        }
    }
    try:
        function_arn, created = _put(
            clients.client(target, actor, "lambda"), function_name, role_arn, environment
        )
    except (TargetUnreachable, *clients.CALL_ERRORS) as error:
        ApprovalToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())  # never held
        raise DeployRefused(clients.describe_error(error).replace(text, "[token]")) from error
    ApprovalToken.objects.filter(pk__in=[old.pk for old in before]).update(revoked_at=timezone.now())
    return Deployed(function_arn=function_arn, created=created, token_key_id=token.key_id)


def _put(lam, function_name: str, role_arn: str, environment: dict) -> tuple[str, bool]:
    try:
        lam.get_function(FunctionName=function_name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        made = lam.create_function(
            FunctionName=function_name,
            Runtime=RUNTIME,
            Role=role_arn,
            Handler=HANDLER,
            Code={"ZipFile": package()},
            Timeout=TIMEOUT_SECONDS,
            Environment=environment,
            Description="Asks Symphony's reviewers to approve a waiting Step Functions task",
        )
        return made["FunctionArn"], True
    lam.update_function_code(FunctionName=function_name, ZipFile=package())
    lam.get_waiter("function_updated_v2").wait(FunctionName=function_name)
    updated = lam.update_function_configuration(
        FunctionName=function_name, Role=role_arn, Handler=HANDLER, Runtime=RUNTIME, Environment=environment
    )
    return updated["FunctionArn"], False
