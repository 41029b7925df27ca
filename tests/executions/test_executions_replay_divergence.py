"""A running execution whose history this engine would write differently (an upgrade that
changed an event) is not resumed into a corrupt history: after the restart it fails with
States.Runtime and a cause naming the event where the replay diverged (DESIGN.md decision 5).
Here the stored definition stands in for the upgrade: the execution's first state now answers
another output than the one its committed PassStateExited event holds."""

import json
import time
import uuid

from tests.executions.conftest import ROLE, client_for, make_server
from tests.executions.test_executions_durability import history, run_to_end

DEFINITION = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": {"n": 1}, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 3, "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}


def test_executions_a_diverging_resume_fails_naming_the_event(tmp_path):
    server = make_server(tmp_path)
    server.start()
    try:
        sfn = client_for(server.endpoint)
        sm = sfn.create_state_machine(
            name=f"diverge-{uuid.uuid4().hex[:8]}", definition=json.dumps(DEFINITION), roleArn=ROLE
        )["stateMachineArn"]
        arn = sfn.start_execution(stateMachineArn=sm, name="in-flight")["executionArn"]
        deadline = time.time() + 30
        while "WaitStateEntered" not in [e["type"] for e in history(sfn, arn)]:
            assert time.time() < deadline, "never reached the Wait"
            time.sleep(0.02)
        server.kill()
        changed = json.loads(json.dumps(DEFINITION))
        changed["States"]["A"]["Result"] = {"n": 2}
        server.manage(
            "shell",
            "-c",
            "from executions.models import Execution; "
            f"Execution.objects.filter(arn={arn!r}).update(definition={json.dumps(changed)!r})",
        )
        server.start()
        described = run_to_end(client_for(server.endpoint), arn)
        assert described["status"] == "FAILED"
        assert described["error"] == "States.Runtime"
        assert (
            "diverged at event 3 (PassStateExited): its stateExitedEventDetails differ in output"
            in (described["cause"])
        )
        events = history(client_for(server.endpoint), arn)
        assert [e["type"] for e in events][-1] == "ExecutionFailed"
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    finally:
        server.stop()
