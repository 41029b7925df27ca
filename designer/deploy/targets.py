"""Targets: checked fields and every write (publishers only, inside their account)."""

import logging
import re
from functools import cache
from typing import Any

import boto3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from accounts.permissions import Action, allowed
from accounts.services import account_for
from designer.deploy.errors import TargetFieldError, TargetNameTaken, TargetNotFound
from designer.deploy.models import LogLevel, Target
from designer.models import workflow_name_validator
from designer.services import NotAllowed, WorkflowFieldError, _clean_tags

logger = logging.getLogger(__name__)

# IAM's role ARN: arn:<partition>:iam::<12 digits>:role/<path and name> (IAM User Guide, "IAM identifiers").
# ASCII only: Python's \d and \w also match other scripts' digits and letters, which IAM refuses.
ROLE_ARN_RE = re.compile(r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]{1,512}$", re.ASCII)
# CloudWatch Logs log group ARN as Step Functions' LoggingConfiguration wants it (ending ":*").
LOG_GROUP_ARN_RE = re.compile(
    r"^arn:aws(-cn|-us-gov)?:logs:[a-z0-9-]+:\d{12}:log-group:[\w#./-]{1,512}:\*$", re.ASCII
)
# STS AssumeRole ExternalId: 2-1224 characters of [\w+=,.@:/-].
EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}$", re.ASCII)
# A name both CloudFormation's DefinitionSubstitutions and Terraform's templatefile accept.
SUBSTITUTION_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
PROFILE_RE = re.compile(r"^[\w.@+-]{1,128}$", re.ASCII)


@cache
def known_regions() -> frozenset[str]:
    """Every region Step Functions is in, from botocore's endpoint data (no network)."""
    session = boto3.Session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("stepfunctions", partition_name=partition)
    )


def _text(field: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TargetFieldError(field, "INVALID_FIELD", f"{field} is text.")
    return value.strip()


def _flag(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TargetFieldError(field, "INVALID_FIELD", f"{field} is true or false.")
    return value


def _clean_name(value: Any) -> str:
    name = _text("name", value)
    if not workflow_name_validator.regex.match(name):
        raise TargetFieldError("name", "INVALID_NAME", "A target name is 1-80 letters, digits, '-' or '_'.")
    return name


def _clean_region(value: Any) -> str:
    region = _text("region", value)
    if region not in known_regions():
        raise TargetFieldError(
            "region", "UNKNOWN_REGION", f"{region!r} is not a region Step Functions is in (e.g. us-east-1)."
        )
    return region


def _clean_role(field: str, value: Any, required: bool) -> str:
    arn = _text(field, value)
    if not arn and not required:
        return ""
    if not ROLE_ARN_RE.match(arn):
        raise TargetFieldError(
            field,
            "INVALID_ROLE_ARN",
            f"{arn!r} is not an IAM role ARN (arn:aws:iam::123456789012:role/name)."
            if arn
            else "A role ARN is required.",
        )
    return arn


def _clean_external_id(value: Any) -> str:
    external_id = _text("external_id", value)
    if external_id and not EXTERNAL_ID_RE.match(external_id):
        raise TargetFieldError(
            "external_id", "INVALID_EXTERNAL_ID", "An external id is 2-1224 of letters, digits and +=,.@:/-_."
        )
    return external_id


def _clean_endpoint(value: Any) -> str:
    url = _text("endpoint_url", value)
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise TargetFieldError(
            "endpoint_url",
            "INVALID_ENDPOINT_URL",
            f"{url!r} is not an http(s) URL (e.g. http://127.0.0.1:5000).",
        ) from None
    return url


def _clean_profile(value: Any) -> str:
    profile = _text("profile", value)
    if not profile:
        return ""
    if not PROFILE_RE.match(profile):
        raise TargetFieldError("profile", "INVALID_PROFILE", f"{profile!r} is not a profile name.")
    if profile not in boto3.Session().available_profiles:
        raise TargetFieldError(
            "profile", "UNKNOWN_PROFILE", f"This server's AWS config has no profile named {profile!r}."
        )
    return profile


def _clean_log_group(value: Any) -> str:
    arn = _text("log_group_arn", value)
    if arn and not LOG_GROUP_ARN_RE.match(arn):
        raise TargetFieldError(
            "log_group_arn",
            "INVALID_LOG_GROUP_ARN",
            f"{arn!r} is not a log group ARN (arn:aws:logs:us-east-1:123456789012:log-group:name:*).",
        )
    return arn


def _clean_log_level(value: Any) -> str:
    if value not in LogLevel.values:
        raise TargetFieldError(
            "log_level", "INVALID_LOG_LEVEL", f"{value!r} is not one of {', '.join(LogLevel.values)}."
        )
    return value


def _clean_tags_field(value: Any) -> dict[str, str]:
    try:
        return _clean_tags(value)
    except WorkflowFieldError as error:  # the workflows' tag rules (AWS's), said as a target's
        raise TargetFieldError("tags", error.code, error.message) from None


def _clean_substitutions(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TargetFieldError(
            "substitutions", "INVALID_SUBSTITUTIONS", "Substitutions are an object of name: value."
        )
    for key, text in value.items():
        if not isinstance(key, str) or not SUBSTITUTION_KEY_RE.match(key):
            raise TargetFieldError(
                "substitutions",
                "INVALID_SUBSTITUTIONS",
                f"{key!r}: a substitution name is a letter or '_' then letters, digits or '_' (at most 128).",
            )
        if not isinstance(text, str):
            raise TargetFieldError("substitutions", "INVALID_SUBSTITUTIONS", f"{key}: the value is text.")
    return dict(value)


CLEANERS = {
    "name": _clean_name,
    "region": _clean_region,
    "role_arn": lambda v: _clean_role("role_arn", v, required=True),
    "assume_role_arn": lambda v: _clean_role("assume_role_arn", v, required=False),
    "external_id": _clean_external_id,
    "endpoint_url": _clean_endpoint,
    "profile": _clean_profile,
    "this_symphony": lambda v: _flag("this_symphony", v),
    "log_level": _clean_log_level,
    "log_group_arn": _clean_log_group,
    "include_execution_data": lambda v: _flag("include_execution_data", v),
    "tracing_enabled": lambda v: _flag("tracing_enabled", v),
    "tags": _clean_tags_field,
    "substitutions": _clean_substitutions,
}
# The fields a publisher sets, each checked by its cleaner; the API shows them in this order.
FIELDS = tuple(CLEANERS)


def _check_together(target: Target) -> None:
    if target.this_symphony:
        for field in ("endpoint_url", "profile", "assume_role_arn"):
            if getattr(target, field):
                raise TargetFieldError(
                    field,
                    "NOT_WITH_THIS_SYMPHONY",
                    "This Symphony signs with your own access key: leave it empty.",
                )
    if target.external_id and not target.assume_role_arn:
        raise TargetFieldError(
            "external_id", "EXTERNAL_ID_WITHOUT_ROLE", "An external id goes with a role to assume."
        )
    if target.log_level != LogLevel.OFF and not target.log_group_arn:
        raise TargetFieldError(
            "log_group_arn", "LOG_GROUP_REQUIRED", f"Logging at {target.log_level} needs a log group ARN."
        )


def _require_publisher(actor) -> None:
    if not allowed(actor, Action.PUBLISH):
        raise NotAllowed("Only publishers may manage targets (ask for the publishers role).")


def targets_for(user):
    """The targets of the user's account."""
    return Target.objects.filter(account=account_for(user))


def get_target(user, name: str) -> Target:
    target = targets_for(user).filter(name=name).first()
    if target is None:
        raise TargetNotFound(name)
    return target


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(CLEANERS)
    if unknown:
        field = sorted(unknown)[0]
        raise TargetFieldError(field, "UNKNOWN_FIELD", f"{field!r} is not a target field.")
    return {field: CLEANERS[field](value) for field, value in changes.items()}


def _save(target: Target) -> Target:
    _check_together(target)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as error:
        raise TargetNameTaken(target.name) from error
    return target


def create_target(actor, **fields: Any) -> Target:
    _require_publisher(actor)
    for required in ("name", "region", "role_arn"):
        fields.setdefault(required, "")
    return _save(Target(account=account_for(actor), created_by=actor, updated_by=actor, **_clean(fields)))


def update_target(target: Target, actor, **changes: Any) -> Target:
    _require_publisher(actor)
    if not allowed(actor, Action.PUBLISH, target.account_id):
        raise NotAllowed("This target belongs to another account.")
    for field, value in _clean(changes).items():
        setattr(target, field, value)
    target.updated_by = actor
    return _save(target)


def delete_target(target: Target, actor) -> None:
    _require_publisher(actor)
    if not allowed(actor, Action.PUBLISH, target.account_id):
        raise NotAllowed("This target belongs to another account.")
    # Its deployments stay (with its name); the removal is in the log with who did it.
    logger.info(
        "target %s (%s) of account %s removed by %s", target.name, target.pk, target.account_id, actor
    )
    target.delete()
