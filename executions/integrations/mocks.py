"""Mocked responses in AWS Step Functions Local's mock-config format: they answer any
resource, before any adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from executions.engine.tasks import TaskError, TaskRequest


@dataclass
class MockConfig:
    """AWS Step Functions Local's mock config: `StateMachines.<name>.TestCases.<case>.<state>`
    names a response in `MockedResponses`, whose keys are attempt numbers or ranges ("0",
    "1-2") mapping to `{"Return": ...}` or `{"Throw": {"Error", "Cause"}}`."""

    document: dict[str, Any]
    test_case: str

    def response(self, request: TaskRequest) -> dict[str, Any] | None:
        machines = self.document.get("StateMachines", {})
        cases = machines.get(request.state_machine_name, {}).get("TestCases", {})
        name = cases.get(self.test_case, {}).get(request.state_name)
        if name is None:
            return None
        responses = self.document.get("MockedResponses", {}).get(name, {})
        for key, value in responses.items():
            low, _, high = str(key).partition("-")
            if int(low) <= request.attempt <= int(high or low):
                response: dict[str, Any] = value
                return response
        return None


def answer(response: dict[str, Any]) -> Any:
    """A mocked response's Return, or its Throw as the task's error."""
    if "Throw" in response:
        throw = response["Throw"] or {}
        raise TaskError(throw.get("Error", "States.TaskFailed"), throw.get("Cause"))
    return response.get("Return")
