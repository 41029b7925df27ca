"""The Lambda functions of a target's account, for the inspector's function picker: listed through
the target's boto3 client (designer.deploy.clients), with publishing's permission check."""

from designer.deploy import clients
from designer.deploy.errors import TargetUnreachable
from designer.deploy.models import Target
from designer.deploy.publish import require_publisher


def list_functions(target: Target, actor) -> list[dict]:
    """Each function's name, ARN, runtime and description (ListFunctions, every page)."""
    require_publisher(actor, target)
    try:
        pages = clients.client(target, actor, "lambda").get_paginator("list_functions").paginate()
        return [
            {
                "name": function["FunctionName"],
                "arn": function["FunctionArn"],
                "runtime": function.get("Runtime", ""),
                "description": function.get("Description", ""),
            }
            for page in pages
            for function in page["Functions"]
        ]
    except clients.CALL_ERRORS as error:
        raise TargetUnreachable(f"Target {target.name}: {clients.describe_error(error)}") from error
