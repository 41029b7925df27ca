"""The runner at time scale 0: idle time (Waits) passes at once, work in flight (a pending
callback) runs on real time, so an answer sent a moment later still counts."""

import copy
import json

import pytest

from tests.executions.conftest import client_for, make_server
from tests.executions.sfn_api.test_sfn_api_executions import CALLBACK, machine, token_of, wait_done


@pytest.fixture(scope="module")
def instant(tmp_path_factory):
    server = make_server(tmp_path_factory.mktemp("symphony-scale-0"), SYMPHONY_TIME_SCALE="0")
    server.start()
    yield server
    server.stop()


def test_executions_scale_zero_skips_waits_but_keeps_callbacks_open(instant):
    sfn = client_for(instant.endpoint)
    definition = copy.deepcopy(CALLBACK)
    definition["StartAt"] = "Day"
    definition["States"]["Day"] = {"Type": "Wait", "Seconds": 86400, "Next": "Ask"}
    definition["States"]["Ask"]["TimeoutSeconds"] = 3600
    arn = sfn.start_execution(stateMachineArn=machine(sfn, definition))["executionArn"]

    token = token_of(sfn, arn)
    sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True}))

    described = wait_done(sfn, arn)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"approved": True}
