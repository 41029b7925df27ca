"""Tags on state machines and activities."""

from executions.services import tags as tag_service
from executions.sfn_api.operations.common import Call


def tag_resource(call: Call) -> dict:
    tag_service.tag_resource(call.required("resourceArn"), call.account, call.required("tags", list))
    return {}


def untag_resource(call: Call) -> dict:
    tag_service.untag_resource(call.required("resourceArn"), call.account, call.required("tagKeys", list))
    return {}


def list_tags_for_resource(call: Call) -> dict:
    tags = tag_service.list_tags(call.required("resourceArn"), call.account)
    return {"tags": [{"key": k, "value": v} for k, v in tags.items()]}
