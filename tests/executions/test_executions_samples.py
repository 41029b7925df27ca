"""The samples run out of the box: each sample definition (designer/samples) through the Step
Functions endpoint, with the local functions in functions/, to the end."""

import json
import time

import pytest

from tests.executions.conftest import REPO_ROOT, ROLE, client_for, make_server

SAMPLES = REPO_ROOT / "designer" / "samples"
INPUTS = {
    "order-processing": {
        "orderId": "o-1",
        "items": [{"sku": "A", "price": 2.5, "quantity": 2}],
        "customer": {"email": "ana@example.com"},
    },
    "brand-asset-pipeline": {"asset": {"name": "spring-logo", "format": "png"}},
    "iot-pipeline": {"deviceId": "hot-7", "reading": {"value": 95, "unit": "F"}},
    "async-report-api": {"reportType": "sales", "from": "2024-01-01", "to": "2024-01-31"},
    "sensor-batch-import": {"limit": 90},
    "customer-onboarding": {
        "id": "evt-1",
        "detail": {
            "customer": {"email": "bo@example.com", "name": "Bo"},
            "plan": {"name": "team", "features": ["sso", "audit"]},
        },
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = make_server(
        tmp_path_factory.mktemp("symphony-samples"),
        SYMPHONY_FUNCTIONS_DIR=str(REPO_ROOT / "functions"),
        SYMPHONY_TIME_SCALE="0.1",
    )
    live.start()
    yield live
    live.stop()


def catalogue() -> list[dict]:
    return json.loads((SAMPLES / "samples.json").read_text())


@pytest.mark.parametrize("sample", catalogue(), ids=lambda s: s["name"])
def test_executions_sample_runs(server, sample):
    sfn = client_for(server.endpoint)
    arn = sfn.create_state_machine(
        name=f"sample-{sample['name']}",
        definition=(SAMPLES / sample["file"]).read_text(),
        roleArn=ROLE,
        type=sample["type"],
    )["stateMachineArn"]
    execution_input = json.dumps(INPUTS[sample["name"]])
    if sample["type"] == "EXPRESS":
        result = sfn.start_sync_execution(stateMachineArn=arn, input=execution_input)
        assert result["status"] == "SUCCEEDED", result
        return
    execution = sfn.start_execution(stateMachineArn=arn, input=execution_input)["executionArn"]
    deadline = time.time() + 60
    answered = False
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.time() < deadline, "the sample did not finish"
        if not answered:
            for event in sfn.get_execution_history(executionArn=execution)["events"]:
                if (
                    event["type"] == "TaskScheduled"
                    and "waitForTaskToken" in event["taskScheduledEventDetails"]["resource"]
                ):
                    token = json.loads(event["taskScheduledEventDetails"]["parameters"])["Payload"][
                        "taskToken"
                    ]
                    sfn.send_task_success(taskToken=token, output=json.dumps({"decision": "approved"}))
                    answered = True
        time.sleep(0.1)
    assert described["status"] == "SUCCEEDED", described
