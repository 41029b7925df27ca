"""AWS Step Functions Developer Guide, "Choosing workflow type in Step Functions"
(choosing-workflow-type.html): the service integration patterns each type supports."""

import json

import pytest

from designer.asl import validate


def task_errors(resource: str, machine_type: str) -> list[str]:
    definition = {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": resource, "Parameters": {"FunctionName": "f"}, "End": True}
        },
    }
    return [d.message for d in validate(json.dumps(definition), type=machine_type) if d.severity == "error"]


@pytest.mark.parametrize(
    "resource",
    ["arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws:states:::states:startExecution.sync"],
)
def test_express_does_not_support_run_a_job_or_callback_patterns(resource):
    # "Service integrations": Express workflows support all service integrations but "don't
    # support Job-run (.sync) or Callback (.waitForTaskToken) patterns"; Standard supports all.
    assert task_errors(resource, "EXPRESS")
    assert not task_errors(resource, "STANDARD")


def test_express_supports_request_response():
    # "Express ... supports all service integrations" in the Request Response pattern.
    assert not task_errors("arn:aws:states:::lambda:invoke", "EXPRESS")
