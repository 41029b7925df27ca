"""Task resources beyond plain functions: task tokens, mocked responses, resource names."""

import asyncio
import json

from designer.asl.model import build_state_machine
from executions.engine.effects import FakeClock
from executions.engine.interpreter import Execution
from executions.engine.tasks import parse_resource
from executions.integrations import LocalEffects, MockConfig, Resources
from executions.integrations.lambda_ import function_name_of
from tests.executions.engine.support import info, types

WAIT_FOR_APPROVAL = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


def _run_answering(definition: dict, answer) -> tuple:
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())

    async def main():
        task = asyncio.ensure_future(execution.run())
        for _ in range(10_000):  # bounded: a broken engine fails the test instead of hanging it
            if effects.tokens.pending():
                break
            await asyncio.sleep(0)
        token = effects.tokens.pending()[0]
        answer(effects.tokens, token)
        return await task, token

    (outcome, token) = asyncio.run(main())
    return outcome, token, execution.history.events


def test_wait_for_task_token_resumes_on_send_task_success():
    outcome, token, events = _run_answering(WAIT_FOR_APPROVAL, lambda t, tok: t.send_success(tok, {"ok": 1}))
    assert outcome.output == {"ok": 1}
    scheduled = json.loads(events[2]["taskScheduledEventDetails"]["parameters"])
    assert scheduled["MessageBody"]["token"] == token
    assert events[2]["taskScheduledEventDetails"]["resource"] == "sendMessage.waitForTaskToken"
    assert types(events)[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]


def test_send_task_failure_fails_the_task_with_its_error():
    outcome, _, events = _run_answering(
        WAIT_FOR_APPROVAL, lambda t, tok: t.send_failure(tok, "Rejected", "no")
    )
    assert (outcome.error, outcome.cause) == ("Rejected", "no")
    assert "TaskFailed" in types(events)


def test_heartbeat_lapses_at_time_scale_zero():
    definition = json.loads(json.dumps(WAIT_FOR_APPROVAL))
    definition["States"]["Ask"]["HeartbeatSeconds"] = 30
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    outcome = asyncio.run(execution.run())
    assert outcome.error == "States.HeartbeatTimeout"
    assert "TaskTimedOut" in types(execution.history.events)


def test_mock_config_answers_by_test_case_and_attempt():
    document = {
        "StateMachines": {"machine": {"TestCases": {"HappyPath": {"Put": "PutOk"}}}},
        "MockedResponses": {
            "PutOk": {
                "0": {"Throw": {"Error": "DynamoDB.ServiceException", "Cause": "busy"}},
                "1": {"Return": {"Attributes": {"id": "1"}}},
            }
        },
    }
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "t", "Item": {}},
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
                "End": True,
            }
        },
    }
    effects = LocalEffects(resources=Resources(mock=MockConfig(document, "HappyPath")), clock=FakeClock())
    execution = Execution(build_state_machine(definition), "{}", effects, info())
    outcome = asyncio.run(execution.run())
    assert outcome.output == {"Attributes": {"id": "1"}}
    assert types(execution.history.events).count("TaskFailed") == 1


def test_an_integration_without_implementation_fails_clearly():
    definition = {
        "StartAt": "S",
        "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True}},
    }
    execution = Execution(build_state_machine(definition), "{}", LocalEffects(clock=FakeClock()), info())
    outcome = asyncio.run(execution.run())
    assert outcome.status == "FAILED"
    assert "no local implementation" in outcome.cause


def test_resource_names():
    assert parse_resource("arn:aws:states:::lambda:invoke.waitForTaskToken").pattern == "waitForTaskToken"
    target = parse_resource("arn:aws:states:::aws-sdk:s3:getObject")
    assert (target.service, target.action) == ("aws-sdk:s3", "getObject")
    assert parse_resource("arn:aws:states:us-east-1:1:activity:a").kind == "activity"
    assert function_name_of("arn:aws:lambda:us-east-1:1:function:f:prod") == "f"
    assert function_name_of("1:function:f") == "f"
    assert function_name_of("f") == "f"


def test_start_execution_sync_runs_a_local_state_machine():
    child_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:child"
    child = {
        "StartAt": "D",
        "States": {"D": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "End": True}},
    }
    definition = {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn, "Input": {"n.$": "$.n"}, "Name": "kid"},
                "OutputPath": "$.Output",
                "End": True,
            }
        },
    }
    resources = Resources(state_machines={child_arn: child})
    execution = Execution(
        build_state_machine(definition), '{"n": 4}', LocalEffects(resources=resources), info()
    )
    outcome = asyncio.run(execution.run())
    assert outcome.output == {"twice": 8}
    assert resources.children[0].info.execution_arn.endswith(":execution:child:kid")


def test_http_task_calls_a_real_url():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            payload = json.dumps({"echo": json.loads(body), "path": self.path}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        definition = {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::http:invoke",
                    "Parameters": {
                        "ApiEndpoint": f"http://127.0.0.1:{server.server_port}/orders",
                        "Method": "POST",
                        "QueryParameters": {"q": "1"},
                        "RequestBody": {"id.$": "$.id"},
                    },
                    "End": True,
                }
            },
        }
        execution = Execution(build_state_machine(definition), '{"id": 3}', LocalEffects(), info())
        outcome = asyncio.run(execution.run())
    finally:
        server.shutdown()
    assert outcome.output["StatusCode"] == 201
    assert outcome.output["ResponseBody"] == {"echo": {"id": 3}, "path": "/orders?q=1"}


def test_an_activity_waits_for_a_worker_and_its_answer():
    activity = "arn:aws:states:us-east-1:000000000000:activity:review"
    definition = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}}
    effects = LocalEffects(clock=FakeClock())
    execution = Execution(build_state_machine(definition), '{"doc": 1}', effects, info())

    async def main():
        run = asyncio.ensure_future(execution.run())
        task = None
        for _ in range(10_000):  # bounded: a broken engine fails the test instead of hanging it
            await asyncio.sleep(0)
            task = effects.tokens.get_activity_task(activity, "worker-1")
            if task is not None:
                break
        token, task_input = task
        assert json.loads(task_input) == {"doc": 1}
        effects.tokens.send_success(token, {"ok": True})
        return await run

    outcome = asyncio.run(main())
    assert outcome.output == {"ok": True}
    events = execution.history.events
    assert types(events)[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]
    assert events[3]["activityStartedEventDetails"] == {"workerName": "worker-1"}
