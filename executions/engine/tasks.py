"""What the engine asks of a Task resource and what comes back: the vocabulary between the
interpreter (states/task.py) and the integrations that answer (executions/integrations).

A `TaskRequest` names its `Target` (parsed from the Resource ARN) and carries the input and
limits; an integration answers with a JSON value, or raises `TaskError` (AWS's error name and
cause) or `TaskTimeout`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LAMBDA_ARN_PREFIX = "arn:aws:lambda:"
SERVICE_PREFIX = "arn:aws:states:::"


class TaskError(Exception):
    """A task answered with an error (AWS's error name and cause)."""

    def __init__(self, error: str, cause: str | None) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class TaskTimeout(Exception):
    """The task ran past its TimeoutSeconds (or HeartbeatSeconds: `heartbeat`)."""

    def __init__(self, heartbeat: bool = False) -> None:
        super().__init__("heartbeat" if heartbeat else "timeout")
        self.heartbeat = heartbeat


@dataclass(frozen=True, slots=True)
class Target:
    """What a Resource names: `kind` "lambda" (a function ARN), "service" (an optimised or
    SDK integration) or "activity"; for services `service`, `action` and `pattern`
    ("" | "sync" | "sync:2" | "waitForTaskToken")."""

    kind: str
    resource: str
    service: str = ""
    action: str = ""
    pattern: str = ""


def parse_resource(resource: str) -> Target:
    if resource.startswith(LAMBDA_ARN_PREFIX):
        return Target("lambda", resource, "lambda", "invoke")
    if resource.startswith(SERVICE_PREFIX):
        rest = resource[len(SERVICE_PREFIX) :]
        service, _, action = rest.partition(":")
        if service == "aws-sdk":
            service, _, action = action.partition(":")
            service = "aws-sdk:" + service
        action, _, pattern = action.partition(".")
        return Target("service", resource, service, action, pattern)
    if ":activity:" in resource:
        return Target("activity", resource)
    return Target("service", resource, resource, "", "")


@dataclass
class TaskRequest:
    """One invocation: the resource, its input (Parameters/Arguments after evaluation) and
    what the state knows (names for mocks, the token, the limits)."""

    target: Target
    input: Any
    state_name: str = ""
    state_machine_name: str = ""
    execution_name: str = ""
    task_token: str | None = None
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    region: str = "us-east-1"
    account: str = "000000000000"
    attempt: int = 0
    request_id: str = ""
