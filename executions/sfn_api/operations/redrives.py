"""RedriveExecution: continue a stopped STANDARD execution from where it stopped."""

from executions import runner
from executions.events import epoch
from executions.services import redrives
from executions.sfn_api.operations.common import Call


def redrive_execution(call: Call) -> dict:
    execution, redriven = redrives.redrive_execution(
        call.required("executionArn"), call.account, client_token=call.optional("clientToken")
    )
    if redriven:
        runner.submit_on_commit(execution)
    return {"redriveDate": epoch(execution.redrive_date)}
