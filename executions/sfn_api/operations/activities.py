"""Activities and the worker long poll that hands out their tasks."""

import asyncio

from channels.db import database_sync_to_async

from executions import runner
from executions.events import epoch
from executions.models import Activity
from executions.services import activities
from executions.sfn_api.operations.common import Call, drop_none, paginate

ACTIVITY_POLL_SECONDS = 60.0


def create_activity(call: Call) -> dict:
    activity = activities.create_activity(
        region=call.region,
        account=call.account,
        name=call.required("name"),
        tags=call.optional("tags", list),
        owner_id=call.owner_id,
    )
    return {"activityArn": activity.arn, "creationDate": epoch(activity.created_at)}


def describe_activity(call: Call) -> dict:
    activity = activities.get_activity(call.required("activityArn"), call.account)
    return {"activityArn": activity.arn, "name": activity.name, "creationDate": epoch(activity.created_at)}


def delete_activity(call: Call) -> dict:
    activities.delete_activity(call.required("activityArn"), call.account)
    return {}


def list_activities(call: Call) -> dict:
    rows, token = paginate(
        call, Activity.objects.filter(account_id=call.account).order_by("created_at", "id")
    )
    return drop_none(
        {
            "activities": [
                {"activityArn": a.arn, "name": a.name, "creationDate": epoch(a.created_at)} for a in rows
            ],
            "nextToken": token,
        }
    )


async def get_activity_task(call: Call) -> dict:
    """Long poll: up to 60 s for a task, then an empty answer (as AWS)."""
    activity = await database_sync_to_async(activities.get_activity, thread_sensitive=False)(
        call.required("activityArn"), call.account
    )
    worker = call.optional("workerName", str, "")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ACTIVITY_POLL_SECONDS
    claim = database_sync_to_async(activities.claim_activity_task, thread_sensitive=False)
    while True:
        task = await claim(activity, worker)
        if task is not None:
            return {"taskToken": task.token, "input": task.task_input}
        remaining = deadline - loop.time()
        if remaining <= 0:
            return {}
        await runner.wait_for_activity(activity.pk, min(remaining, 1.0))
