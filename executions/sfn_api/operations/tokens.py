"""Callbacks on task tokens: success, failure, heartbeat; each wakes the execution waiting."""

from executions import runner
from executions.services import tokens
from executions.sfn_api.operations.common import Call


def send_task_success(call: Call) -> dict:
    token = tokens.send_task_success(call.required("taskToken"), call.account, call.required("output"))
    runner.notify(token.execution_id)
    return {}


def send_task_failure(call: Call) -> dict:
    token = tokens.send_task_failure(
        call.required("taskToken"), call.account, error=call.optional("error"), cause=call.optional("cause")
    )
    runner.notify(token.execution_id)
    return {}


def send_task_heartbeat(call: Call) -> dict:
    tokens.send_task_heartbeat(call.required("taskToken"), call.account)
    return {}
