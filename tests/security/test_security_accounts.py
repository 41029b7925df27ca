"""Accounts on the Step Functions endpoint (issue "Trust boundaries", probe 1): every resource
belongs to its creator's account, and another account's ARN answers as AWS answers for a
resource the caller cannot see, never with its data. Each request is signed with a real user's
key (SigV4 through boto3) against a live server.

AWS API reference, "Common Errors" and each operation's Errors section: StateMachineDoesNotExist,
ExecutionDoesNotExist, ResourceNotFound, ActivityDoesNotExist, TaskDoesNotExist.
"""

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.executions.sfn_api.test_sfn_api_executions import CALLBACK, token_of

WAIT = json.dumps(CALLBACK)
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ROLE = "arn:aws:iam::000000000000:role/r"


def code_of(caught) -> str:
    return caught.value.response["Error"]["Code"]


def refused(call, code: str, **params) -> None:
    with pytest.raises(ClientError) as caught:
        call(**params)
    assert code_of(caught) == code, caught.value.response


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def alices(keys) -> dict:
    """Alice's machine, a version, an alias, an activity and a running execution that waits on a
    task token (its history holds the token: what a viewer once read and answered)."""
    alice = keys["alice"]
    machine = alice.create_state_machine(
        name=unique("orders"),
        definition=WAIT,
        roleArn=ROLE,
        publish=True,
        tags=[{"key": "team", "value": "a"}],
    )
    alias = alice.create_state_machine_alias(
        name="prod",
        routingConfiguration=[{"stateMachineVersionArn": machine["stateMachineVersionArn"], "weight": 100}],
    )
    activity = alice.create_activity(name=unique("work"))
    execution = alice.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"secret": 42}')
    token = token_of(alice, execution["executionArn"])
    return {
        "machine": machine["stateMachineArn"],
        "version": machine["stateMachineVersionArn"],
        "alias": alias["stateMachineAliasArn"],
        "activity": activity["activityArn"],
        "execution": execution["executionArn"],
        "token": token,
    }


def test_security_accounts_each_user_acts_in_an_account_of_their_own(keys, alices):
    bobs = keys["bob"].create_state_machine(name=unique("bobs"), definition=PASS, roleArn=ROLE)
    alice_account = alices["machine"].split(":")[4]
    bob_account = bobs["stateMachineArn"].split(":")[4]
    assert alice_account != bob_account
    assert len(bob_account) == 12 and bob_account.isdigit()


def test_security_accounts_another_accounts_resources_cannot_be_read(keys, alices):
    bob = keys["bob"]
    refused(bob.describe_state_machine, "StateMachineDoesNotExist", stateMachineArn=alices["machine"])
    refused(bob.describe_state_machine, "StateMachineDoesNotExist", stateMachineArn=alices["version"])
    refused(bob.describe_state_machine_alias, "ResourceNotFound", stateMachineAliasArn=alices["alias"])
    refused(bob.describe_execution, "ExecutionDoesNotExist", executionArn=alices["execution"])
    refused(
        bob.describe_state_machine_for_execution, "ExecutionDoesNotExist", executionArn=alices["execution"]
    )
    refused(bob.get_execution_history, "ExecutionDoesNotExist", executionArn=alices["execution"])
    refused(bob.list_executions, "StateMachineDoesNotExist", stateMachineArn=alices["machine"])
    refused(bob.list_executions, "ResourceNotFound", stateMachineArn=alices["version"])
    refused(bob.list_state_machine_versions, "StateMachineDoesNotExist", stateMachineArn=alices["machine"])
    refused(bob.list_state_machine_aliases, "StateMachineDoesNotExist", stateMachineArn=alices["machine"])
    refused(bob.list_tags_for_resource, "ResourceNotFound", resourceArn=alices["machine"])
    refused(bob.describe_activity, "ActivityDoesNotExist", activityArn=alices["activity"])
    refused(bob.list_map_runs, "ExecutionDoesNotExist", executionArn=alices["execution"])
    listed = json.dumps(
        [bob.list_state_machines()["stateMachines"], bob.list_activities()["activities"]], default=str
    )
    assert alices["machine"] not in listed and alices["activity"] not in listed


def test_security_accounts_another_accounts_resources_cannot_be_changed(keys, alices):
    bob, alice = keys["bob"], keys["alice"]
    refused(bob.start_execution, "StateMachineDoesNotExist", stateMachineArn=alices["machine"])
    refused(bob.start_execution, "StateMachineDoesNotExist", stateMachineArn=alices["alias"])
    refused(bob.stop_execution, "ExecutionDoesNotExist", executionArn=alices["execution"])
    refused(bob.redrive_execution, "ExecutionDoesNotExist", executionArn=alices["execution"])
    refused(
        bob.update_state_machine,
        "StateMachineDoesNotExist",
        stateMachineArn=alices["machine"],
        definition=PASS,
    )
    refused(bob.publish_state_machine_version, "StateMachineDoesNotExist", stateMachineArn=alices["machine"])
    refused(
        bob.tag_resource, "ResourceNotFound", resourceArn=alices["machine"], tags=[{"key": "k", "value": "v"}]
    )
    refused(bob.untag_resource, "ResourceNotFound", resourceArn=alices["machine"], tagKeys=["team"])
    refused(
        bob.update_state_machine_alias,
        "ResourceNotFound",
        stateMachineAliasArn=alices["alias"],
        routingConfiguration=[{"stateMachineVersionArn": alices["version"], "weight": 100}],
    )
    refused(bob.delete_state_machine_alias, "ResourceNotFound", stateMachineAliasArn=alices["alias"])
    refused(bob.delete_state_machine_version, "ResourceNotFound", stateMachineVersionArn=alices["version"])
    refused(
        bob.create_state_machine_alias,
        "ResourceNotFound",
        name="mine",
        routingConfiguration=[{"stateMachineVersionArn": alices["version"], "weight": 100}],
    )
    # AWS answers a delete of what you cannot see with success; nothing of alice's goes.
    bob.delete_state_machine(stateMachineArn=alices["machine"])
    bob.delete_activity(activityArn=alices["activity"])
    described = alice.describe_state_machine(stateMachineArn=alices["machine"])
    assert described["definition"] == WAIT
    assert alice.list_tags_for_resource(resourceArn=alices["machine"])["tags"] == [
        {"key": "team", "value": "a"}
    ]
    assert alice.describe_state_machine_alias(stateMachineAliasArn=alices["alias"])["name"] == "prod"
    assert alice.describe_activity(activityArn=alices["activity"])["activityArn"] == alices["activity"]
    assert alice.describe_execution(executionArn=alices["execution"])["status"] == "RUNNING"


def test_security_accounts_a_task_token_answers_only_inside_its_account(keys, alices):
    bob, alice = keys["bob"], keys["alice"]
    refused(bob.send_task_success, "TaskDoesNotExist", taskToken=alices["token"], output='{"approved": true}')
    refused(bob.send_task_failure, "TaskDoesNotExist", taskToken=alices["token"], error="Nope")
    refused(bob.send_task_heartbeat, "TaskDoesNotExist", taskToken=alices["token"])
    # Indistinguishable from a token that never existed: nothing says it is someone else's.
    refused(bob.send_task_success, "TaskDoesNotExist", taskToken="x" * 128, output="{}")
    assert alice.describe_execution(executionArn=alices["execution"])["status"] == "RUNNING"


def test_security_accounts_names_are_unique_per_account(keys):
    name = unique("orders")
    definitions = {
        "alice": PASS,
        "bob": json.dumps({"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}),
    }
    arns = {
        user: keys[user].create_state_machine(name=name, definition=text, roleArn=ROLE)["stateMachineArn"]
        for user, text in definitions.items()
    }
    assert arns["alice"] != arns["bob"]
    for user, arn in arns.items():
        assert keys[user].describe_state_machine(stateMachineArn=arn)["definition"] == definitions[user]
    activity = unique("queue")
    assert (
        keys["alice"].create_activity(name=activity)["activityArn"]
        != keys["bob"].create_activity(name=activity)["activityArn"]
    )


def test_security_accounts_a_viewers_key_only_reads(keys, live):
    vera = keys["vera"]
    # A viewer with a key of her own: describe, list and get answer (in her own, empty account).
    assert vera.list_state_machines()["stateMachines"] == []
    vera.validate_state_machine_definition(definition=PASS)
    denied = [
        (vera.create_state_machine, {"name": unique("v"), "definition": PASS, "roleArn": ROLE}),
        (vera.create_activity, {"name": unique("v")}),
        (vera.send_task_success, {"taskToken": "x" * 10, "output": "{}"}),
        (vera.start_execution, {"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x"}),
        (vera.test_state, {"definition": json.dumps({"Type": "Pass", "End": True}), "roleArn": ROLE}),
    ]
    for call, params in denied:
        with pytest.raises(ClientError) as caught:
            call(**params)
        assert code_of(caught) == "AccessDeniedException", call
        assert "is not authorized to perform: states:" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize("user", ["nora", "rita"])
def test_security_accounts_a_key_without_a_role_to_run_is_refused(keys, user):
    client = keys[user]
    refused(
        client.create_state_machine, "AccessDeniedException", name=unique("n"), definition=PASS, roleArn=ROLE
    )
    if user == "nora":  # no role at all: not even reads
        refused(client.list_state_machines, "AccessDeniedException")
