"""The runs the replay suite keeps: the five samples and a run of every state type and of the
features whose events are easiest to change by accident (retries, catchers, variables,
JSONata, callbacks, Parallel, Map, timeouts). `record.py` runs them and stores the histories."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "designer" / "samples"
FUNCTIONS = REPO / "functions"


@dataclass
class Scenario:
    name: str
    definition: dict
    input: Any = field(default_factory=dict)
    # Extra local functions (name -> handler) beside the sample functions of functions/.
    functions: dict = field(default_factory=dict)
    # A task token to answer with this output once the run waits on it.
    answer: Any = None


def _sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.asl.json").read_text())


def _flaky(event, context):
    # Fails on its first call per item (a retry's second attempt succeeds).
    if event.get("attempt_marker") not in _flaky.seen:
        _flaky.seen.add(event.get("attempt_marker"))
        raise TimeoutError("first call times out")
    return {"ok": event.get("attempt_marker")}


_flaky.seen = set()


def _boom(event, context):
    raise ValueError("no such order")


def _echo(event, context):
    return event


def _report_status(event, context):
    # The sample's job completes after two seconds of wall time; here, on the third poll.
    _report_status.polls += 1
    if _report_status.polls < 3:
        return {"state": "RUNNING"}
    return {"state": "COMPLETE", "url": f"https://reports.example.com/{event['jobId']}.csv", "rows": 42}


_report_status.polls = 0


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"

SCENARIOS = [
    Scenario(
        "sample-order-processing",
        _sample("order-processing"),
        {
            "orderId": "o-1",
            "items": [{"sku": "A", "price": 2.5, "quantity": 2}],
            "customer": {"email": "a@example.com"},
        },
    ),
    Scenario(
        "sample-brand-asset-pipeline",
        _sample("brand-asset-pipeline"),
        {"asset": {"name": "spring-logo", "format": "png"}},
        answer={"decision": "approved", "approved": True, "reviewer": "rita", "comment": "ok"},
    ),
    Scenario(
        "sample-iot-pipeline",
        _sample("iot-pipeline"),
        {"deviceId": "hot-7", "reading": {"value": 95, "unit": "F"}},
    ),
    Scenario(
        "sample-async-report-api",
        _sample("async-report-api"),
        {"reportType": "sales", "from": "2024-01-01", "to": "2024-01-31"},
        {"get-report-status": _report_status},
    ),
    Scenario(
        "sample-customer-onboarding",
        _sample("customer-onboarding"),
        {
            "id": "evt-1",
            "detail": {
                "customer": {"email": "bo@example.com", "name": "Bo"},
                "plan": {"name": "team", "features": ["sso", "audit"]},
            },
        },
    ),
    Scenario(
        "pass-wait-succeed",
        {
            "StartAt": "P",
            "States": {
                "P": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.p", "Next": "W"},
                "W": {"Type": "Wait", "Seconds": 30, "Next": "WT"},
                "WT": {"Type": "Wait", "TimestampPath": "$.until", "Next": "S"},
                "S": {"Type": "Succeed", "OutputPath": "$.p"},
            },
        },
        {"until": "2020-01-01T00:00:00Z"},
    ),
    Scenario(
        "choice-fail",
        {
            "StartAt": "C",
            "States": {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
                    "Default": "F",
                },
                "Big": {"Type": "Succeed"},
                "F": {"Type": "Fail", "Error": "TooSmall", "CausePath": "States.Format('n was {}', $.n)"},
            },
        },
        {"n": 3},
    ),
    Scenario(
        "task-retry-catch",
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": LAMBDA + "flaky",
                    "Retry": [{"ErrorEquals": ["TimeoutError"], "IntervalSeconds": 2, "BackoffRate": 2.0}],
                    "Next": "Bad",
                },
                "Bad": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "boom", "Payload.$": "$"},
                    "Retry": [{"ErrorEquals": ["ValueError"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Done"}],
                    "End": True,
                },
                "Done": {"Type": "Pass", "End": True},
            },
        },
        {"attempt_marker": "one"},
        {"flaky": _flaky, "boom": _boom},
    ),
    Scenario(
        "parallel-map-variables",
        {
            "StartAt": "Vars",
            "States": {
                "Vars": {"Type": "Pass", "Assign": {"factor": 3, "label.$": "$.label"}, "Next": "Par"},
                "Par": {
                    "Type": "Parallel",
                    "Branches": [
                        {
                            "StartAt": "A",
                            "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$factor"}, "End": True}},
                        },
                        {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 5, "End": True}}},
                    ],
                    "ResultPath": "$.par",
                    "Next": "Map",
                },
                "Map": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "MaxConcurrency": 2,
                    "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                    "ItemProcessor": {
                        "StartAt": "Echo",
                        "States": {"Echo": {"Type": "Task", "Resource": LAMBDA + "echo", "End": True}},
                    },
                    "ResultPath": "$.mapped",
                    "End": True,
                },
            },
        },
        {"label": "batch", "items": [1, 2, 3, 4, 5]},
        {"echo": _echo},
    ),
    Scenario(
        "jsonata-choice-output",
        {
            "QueryLanguage": "JSONata",
            "StartAt": "Compute",
            "States": {
                "Compute": {
                    "Type": "Pass",
                    "Assign": {"total": "{% $sum($states.input.prices) %}"},
                    "Output": "{% {'count': $count($states.input.prices)} %}",
                    "Next": "Route",
                },
                "Route": {
                    "Type": "Choice",
                    "Choices": [
                        {"Condition": "{% $total > 10 %}", "Next": "Big", "Output": "{% {'big': $total} %}"}
                    ],
                    "Default": "Small",
                },
                "Big": {"Type": "Pass", "End": True},
                "Small": {"Type": "Pass", "End": True},
            },
        },
        {"prices": [4, 5, 6]},
    ),
    Scenario(
        "callback-timeout",
        {
            "StartAt": "Ask",
            "TimeoutSeconds": 3600,
            "States": {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {
                        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                        "MessageBody": {"token.$": "$$.Task.Token"},
                    },
                    "TimeoutSeconds": 60,
                    "Catch": [
                        {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timedOut", "Next": "Late"}
                    ],
                    "End": True,
                },
                "Late": {"Type": "Pass", "End": True},
            },
        },
        {"order": 7},
    ),
]
