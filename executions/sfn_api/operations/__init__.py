"""The Step Functions operations, one module per kind of resource: each operation takes the
parsed request and returns AWS's response shape, reading models and calling
``executions.services`` / the runner for every change.

The tables below are the whole list the endpoint answers (``X-Amz-Target`` operation name to
function); the async ones hold no worker thread while they wait.
"""

from collections.abc import Awaitable, Callable

from executions.sfn_api.operations import (
    activities,
    executions,
    history,
    machines,
    map_runs,
    redrives,
    tags,
    test_state,
    tokens,
    versions_aliases,
)
from executions.sfn_api.operations.common import Call, Staged

__all__ = ["ASYNC_OPERATIONS", "OPERATIONS", "PUBLISH_OPERATIONS", "READ_OPERATIONS", "Call", "Staged"]

OPERATIONS: dict[str, Callable[[Call], dict]] = {
    "CreateStateMachine": machines.create_state_machine,
    "DescribeStateMachine": machines.describe_state_machine,
    "UpdateStateMachine": machines.update_state_machine,
    "DeleteStateMachine": machines.delete_state_machine,
    "ListStateMachines": machines.list_state_machines,
    "ValidateStateMachineDefinition": machines.validate_state_machine_definition,
    "PublishStateMachineVersion": versions_aliases.publish_state_machine_version,
    "ListStateMachineVersions": versions_aliases.list_state_machine_versions,
    "DeleteStateMachineVersion": versions_aliases.delete_state_machine_version,
    "CreateStateMachineAlias": versions_aliases.create_state_machine_alias,
    "DescribeStateMachineAlias": versions_aliases.describe_state_machine_alias,
    "UpdateStateMachineAlias": versions_aliases.update_state_machine_alias,
    "DeleteStateMachineAlias": versions_aliases.delete_state_machine_alias,
    "ListStateMachineAliases": versions_aliases.list_state_machine_aliases,
    "StartExecution": executions.start_execution,
    "DescribeExecution": executions.describe_execution,
    "DescribeStateMachineForExecution": executions.describe_state_machine_for_execution,
    "ListExecutions": executions.list_executions,
    "GetExecutionHistory": history.get_execution_history,
    "StopExecution": executions.stop_execution,
    "RedriveExecution": redrives.redrive_execution,
    "SendTaskSuccess": tokens.send_task_success,
    "SendTaskFailure": tokens.send_task_failure,
    "SendTaskHeartbeat": tokens.send_task_heartbeat,
    "CreateActivity": activities.create_activity,
    "DescribeActivity": activities.describe_activity,
    "DeleteActivity": activities.delete_activity,
    "ListActivities": activities.list_activities,
    "DescribeMapRun": map_runs.describe_map_run,
    "ListMapRuns": map_runs.list_map_runs,
    "UpdateMapRun": map_runs.update_map_run,
    "TagResource": tags.tag_resource,
    "UntagResource": tags.untag_resource,
    "ListTagsForResource": tags.list_tags_for_resource,
}

ASYNC_OPERATIONS: dict[str, Callable[[Call], Awaitable[dict]] | Staged] = {
    "StartSyncExecution": executions.start_sync_execution,
    "GetActivityTask": activities.get_activity_task,
    "TestState": test_state.test_state,
}

# What a viewer's key may call; every other operation changes something or runs code (RUN).
READ_OPERATIONS = frozenset(
    name
    for name in (*OPERATIONS, *ASYNC_OPERATIONS)
    if name.startswith(("Describe", "List", "Get")) and name != "GetActivityTask"
) | {"ValidateStateMachineDefinition"}
# What publishing writes (designer.deploy): the publishers role may do these without running things.
PUBLISH_OPERATIONS = frozenset(
    {
        "CreateStateMachine",
        "UpdateStateMachine",
        "PublishStateMachineVersion",
        "CreateStateMachineAlias",
        "UpdateStateMachineAlias",
    }
)
