"""An execution's event history, paged either way, with or without its data."""

from executions.events import event_dict
from executions.services import executions
from executions.sfn_api.operations.common import Call, drop_none, paginate


def get_execution_history(call: Call) -> dict:
    execution = executions.get_execution(call.required("executionArn"), call.account)
    reverse = call.optional("reverseOrder", bool, False)
    include_data = call.optional("includeExecutionData", bool, True)
    rows = execution.events.order_by("-event_id" if reverse else "event_id")
    page, token = paginate(call, rows)
    return drop_none({"events": [event_dict(e, include_data) for e in page], "nextToken": token})
