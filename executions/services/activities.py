"""Activities: named queues of tasks that workers poll with GetActivityTask."""

from django.utils import timezone

from executions import arns
from executions.exceptions import ActivityDoesNotExist, InvalidArn
from executions.models import Activity, TaskToken, TaskTokenStatus
from executions.services.tags import tag_dict


def create_activity(
    *, region: str, account: str, name: str, tags: list[dict] | None = None, owner_id: int | None = None
) -> Activity:
    arns.validate_name(name)
    activity, _ = Activity.objects.get_or_create(
        arn=arns.activity(region, account, name),
        defaults={"name": name, "tags": tag_dict(tags or []), "owner_id": owner_id, "account_id": account},
    )
    return activity


def get_activity(arn: str, account: str) -> Activity:
    parsed = arns.owned(arn, account, ActivityDoesNotExist, f"Activity Does Not Exist: '{arn}'")
    if parsed.resource_type != "activity":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    try:
        return Activity.objects.get(arn=arn)
    except Activity.DoesNotExist:
        raise ActivityDoesNotExist(f"Activity Does Not Exist: '{arn}'") from None


def delete_activity(arn: str, account: str) -> None:
    parsed = arns.parse(arn)
    if parsed.resource_type != "activity":
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    Activity.objects.filter(arn=arn, account_id=account).delete()


def claim_activity_task(activity: Activity, worker_name: str = "") -> TaskToken | None:
    """Hand the oldest unclaimed task of ``activity`` to one worker (a conditional update, so
    two pollers never get the same task)."""
    for candidate in TaskToken.objects.filter(
        activity=activity, status=TaskTokenStatus.PENDING, claimed_at__isnull=True
    ).values_list("pk", flat=True)[:10]:
        if TaskToken.objects.filter(pk=candidate, claimed_at__isnull=True).update(
            claimed_at=timezone.now(), worker_name=worker_name[:80]
        ):
            return TaskToken.objects.get(pk=candidate)
    return None
