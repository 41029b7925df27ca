"""Task Resource: a URI; for `arn:<partition>:states:::` service integrations, one AWS recognises
(the optimized integrations whose actions AWS lists, any `aws-sdk:` call, each with the `.sync` /
`.waitForTaskToken` patterns its service supports, which EXPRESS state machines do not support);
Lambda function ARNs with a well-formed qualifier."""

from __future__ import annotations

import re

from designer.asl.diagnostics import INVALID_RESOURCE, SCHEMA_VALIDATION_FAILED
from designer.asl.validate.context import Context, pointer_join

URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
STATES_INTEGRATION = re.compile(r"^arn:[^:]+:states:[^:]*:[^:]*:(?P<service>[^:]+):(?P<rest>.+)$")
LAMBDA_FUNCTION = re.compile(
    r"^arn:[^:]+:lambda:[^:]+:[^:]+:function:(?P<name>[^:]+)(?::(?P<qualifier>.*))?$"
)
QUALIFIER = re.compile(r"^(\$LATEST|[0-9]+|[A-Za-z0-9_-]{1,128})$")
PATTERNS = ("", ".sync", ".sync:2", ".waitForTaskToken")
# Integration patterns per service, from AWS's table of optimized and SDK integrations
# (developer guide, "Integrating optimized services"); services not listed accept any pattern here.
REQUEST_RESPONSE, SYNC, CALLBACK = "", ".sync", ".waitForTaskToken"
SERVICE_PATTERNS = {
    "aws-sdk": {REQUEST_RESPONSE, CALLBACK},
    "dynamodb": {REQUEST_RESPONSE},
    "lambda": {REQUEST_RESPONSE, CALLBACK},
    "sns": {REQUEST_RESPONSE, CALLBACK},
    "sqs": {REQUEST_RESPONSE, CALLBACK},
    "apigateway": {REQUEST_RESPONSE, CALLBACK},
    "events": {REQUEST_RESPONSE, CALLBACK},
    "athena": {REQUEST_RESPONSE, SYNC},
    "batch": {REQUEST_RESPONSE, SYNC},
    "codebuild": {REQUEST_RESPONSE, SYNC},
    "elasticmapreduce": {REQUEST_RESPONSE, SYNC},
    "glue": {REQUEST_RESPONSE, SYNC},
    "states": {REQUEST_RESPONSE, SYNC, ".sync:2", CALLBACK},
}
# Services whose optimized actions AWS lists exhaustively; other services' actions are not second-guessed.
OPTIMIZED_ACTIONS = {
    "dynamodb": {"getItem", "putItem", "updateItem", "deleteItem"},
    "sqs": {"sendMessage"},
    "sns": {"publish"},
}


def check(ctx: Context) -> None:
    for state in ctx.states:
        body = state.body
        if (
            not isinstance(body, dict)
            or body.get("Type") != "Task"
            or not isinstance(body.get("Resource"), str)
        ):
            continue
        resource, where = body["Resource"], pointer_join(state.pointer, "Resource")
        if state.jsonata and resource.startswith("{%"):
            continue
        if not URI.match(resource):
            ctx.report(
                INVALID_RESOURCE, where, f"The resource '{resource}' is not a valid resource ARN or URI"
            )
            continue
        function = LAMBDA_FUNCTION.match(resource)
        if (
            function
            and function.group("qualifier") is not None
            and not QUALIFIER.match(function.group("qualifier"))
        ):
            ctx.report(
                INVALID_RESOURCE, where, f"The Lambda function ARN '{resource}' has an invalid qualifier"
            )
            continue
        integration = STATES_INTEGRATION.match(resource)
        if integration is None or integration.group("service") in ("activity", "stateMachine"):
            continue
        _check_integration(ctx, where, resource, integration.group("service"), integration.group("rest"))


def _check_integration(ctx: Context, where: str, resource: str, service: str, rest: str) -> None:
    action, dot, pattern = rest.partition(".")
    pattern = dot + pattern
    known = OPTIMIZED_ACTIONS.get(service)
    allowed = SERVICE_PATTERNS.get(service, PATTERNS)
    if pattern not in allowed or (known is not None and action not in known):
        shown = re.sub(r"^arn:[^:]+:", "arn:<partition>:", resource)
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            where,
            f"The resource provided {shown} is not recognized. The value is not a valid resource ARN, "
            "or the resource is not available in this region.",
        )
        return
    if ctx.machine_type == "EXPRESS" and pattern:
        name = pattern.split(":")[0]
        ctx.report(
            SCHEMA_VALIDATION_FAILED,
            where,
            f"Express state machine does not support '{name}' service integration ",
        )
