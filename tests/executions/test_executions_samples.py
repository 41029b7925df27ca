"""The samples run out of the box: each sample definition (designer/samples) through the Step
Functions endpoint, with the local functions in functions/, to the end."""

import json
import time

import pytest

from tests.executions.conftest import REPO_ROOT, ROLE, client_for, make_server

SAMPLES = REPO_ROOT / "designer" / "samples"


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


def example(name: str) -> dict:
    """The sample's example input (the Run dialog's "example")."""
    return next(sample["input"] for sample in catalogue() if sample["name"] == name)


@pytest.mark.parametrize("sample", catalogue(), ids=lambda s: s["name"])
def test_executions_sample_runs(server, sample):
    sfn = client_for(server.endpoint)
    arn = sfn.create_state_machine(
        name=f"sample-{sample['name']}",
        definition=(SAMPLES / sample["file"]).read_text(),
        roleArn=ROLE,
        type=sample["type"],
    )["stateMachineArn"]
    execution_input = json.dumps(sample["input"])
    if sample["type"] == "EXPRESS":
        result = sfn.start_sync_execution(stateMachineArn=arn, input=execution_input)
        assert result["status"] == "SUCCEEDED", result
        return
    execution = sfn.start_execution(stateMachineArn=arn, input=execution_input)["executionArn"]
    described = finish(sfn, execution, ANSWERS.get(sample["name"], approve))
    assert described["status"] == "SUCCEEDED", described


def approve(sfn, token: str) -> None:
    """The approval page's answer (README: approval pages)."""
    sfn.send_task_success(
        taskToken=token, output=json.dumps({"approved": True, "reviewer": "rita", "comment": "fine"})
    )


def ship(sfn, token: str) -> None:
    """The warehouse's answer to order-fulfilment (tests/executions/integrations/aws/test_aws_samples.py
    answers it as a consumer of the queue)."""
    sfn.send_task_success(taskToken=token, output=json.dumps({"trackingId": "TRK-9"}))


ANSWERS = {"order-fulfilment": ship}


def reject(sfn, token: str) -> None:
    sfn.send_task_failure(taskToken=token, error="Rejected", cause="Off-brand colours (rejected by rita)")


def finish(sfn, execution: str, answer) -> dict:
    """Wait for the execution to end, answering its task token (if it asks) with ``answer``."""
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
                    parameters = json.loads(event["taskScheduledEventDetails"]["parameters"])
                    token = (parameters.get("Payload") or parameters["MessageBody"])["taskToken"]
                    answer(sfn, token)
                    answered = True
        time.sleep(0.1)
    return described


@pytest.mark.parametrize(
    ("answer", "went_to", "skipped"),
    [(approve, "PublishAsset", "NotifyRejected"), (reject, "NotifyRejected", "PublishAsset")],
)
def test_the_brand_asset_sample_reads_the_approval_pages_answer(server, answer, went_to, skipped):
    """Approve publishes; reject is caught and notified; both end as the workflow says (SUCCEEDED)."""
    sfn = client_for(server.endpoint)
    sample = next(s for s in catalogue() if s["name"] == "brand-asset-pipeline")
    arn = sfn.create_state_machine(
        name=f"brand-{answer.__name__}", definition=(SAMPLES / sample["file"]).read_text(), roleArn=ROLE
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(example("brand-asset-pipeline")))
    described = finish(sfn, execution["executionArn"], answer)
    assert described["status"] == "SUCCEEDED", described
    history = sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]
    assert went_to in entered and skipped not in entered
