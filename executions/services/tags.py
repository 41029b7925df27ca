"""Tags on state machines and activities, within AWS's limit per resource."""

from executions import arns
from executions.exceptions import ResourceNotFound, TooManyTags, ValidationException
from executions.models import Activity, StateMachine

MAX_TAGS = 50


def tag_dict(tags: list[dict]) -> dict[str, str]:
    if not isinstance(tags, list) or any(not isinstance(t, dict) or "key" not in t for t in tags):
        raise ValidationException("tags must be a list of {key, value} objects")
    out = {t["key"]: t.get("value", "") for t in tags}
    if len(out) > MAX_TAGS:
        raise TooManyTags(f"Too many tags: at most {MAX_TAGS} per resource")
    return out


def _taggable(arn: str, account: str) -> StateMachine | Activity:
    parsed = arns.owned(arn, account, ResourceNotFound, f"Resource not found: '{arn}'")
    model = {"stateMachine": StateMachine, "activity": Activity}.get(parsed.resource_type)
    found = model.objects.filter(arn=arn).first() if model is not None and len(parsed.parts) == 1 else None
    if found is None:
        raise ResourceNotFound(f"Resource not found: '{arn}'")
    return found


def tag_resource(arn: str, account: str, tags: list[dict]) -> None:
    resource = _taggable(arn, account)
    merged = {**resource.tags, **tag_dict(tags)}
    if len(merged) > MAX_TAGS:
        raise TooManyTags(f"Too many tags: at most {MAX_TAGS} per resource")
    resource.tags = merged
    resource.save(update_fields=["tags"])


def untag_resource(arn: str, account: str, keys: list[str]) -> None:
    resource = _taggable(arn, account)
    resource.tags = {k: v for k, v in resource.tags.items() if k not in set(keys)}
    resource.save(update_fields=["tags"])


def list_tags(arn: str, account: str) -> dict[str, str]:
    return _taggable(arn, account).tags
