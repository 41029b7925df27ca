"""TestState: one state run on its own, with the local functions it may call."""

from channels.db import database_sync_to_async

from executions import functions, teststate
from executions.sfn_api.operations.common import Call


async def test_state(call: Call) -> dict:
    resources = await database_sync_to_async(functions.resources, thread_sensitive=False)(call.account)
    return await teststate.test_state(call.params, resources, region=call.region, account=call.account)
