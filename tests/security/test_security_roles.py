"""Roles enforced on every surface from one check (issue "Trust boundaries", probes 1 and 3):
running a version is the authors' (as StartExecution is), a designer workflow meets its runner
state machine by key, not by name, functions belong to an account, and the run view's actions
need the role to run in that account."""

import json

import pytest
from django.urls import reverse

from accounts.services import account_for, join
from designer import services as designer
from designer.models import Visibility
from designer.roles import AUTHORS, REVIEWERS, VIEWERS
from executions.effects import register_token
from executions.models import Execution, LocalFunction, StateMachine, TaskToken
from executions.services import executions, machines

pytestmark = pytest.mark.django_db

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
CODE = "def handler(event, context):\n    return event\n"


def shared_version(owner, name: str = "orders", definition: str = PASS, visibility=Visibility.SHARED):
    workflow = designer.create_workflow(owner, name=name, visibility=visibility, definition=definition)
    return designer.create_version(workflow, owner, message="v1")


@pytest.mark.parametrize("role", [VIEWERS, REVIEWERS, None])
def test_security_roles_only_authors_run_a_version(client, make_user, role):
    version = shared_version(make_user("alice", AUTHORS))
    client.force_login(make_user("someone", role))
    answered = client.post(reverse("executions:run-version", args=[version.pk]), {"input": "{}"})
    assert answered.status_code in {403, 404}
    assert not Execution.objects.exists() and not StateMachine.objects.exists()


def test_security_roles_an_author_runs_a_shared_version_in_their_own_account(client, make_user):
    alice, bob = make_user("alice", AUTHORS), make_user("bob", AUTHORS)
    version = shared_version(alice)
    client.force_login(bob)
    answered = client.post(reverse("executions:run-version", args=[version.pk]), {"input": "{}"})
    assert answered.status_code == 302
    execution = Execution.objects.get()
    assert execution.account_id == account_for(bob).pk
    assert execution.arn.split(":")[4] == account_for(bob).pk


def test_security_roles_a_workflow_meets_its_state_machine_by_key_not_by_name(make_user):
    """Bob's private workflow `orders` never replaces, nor reads, alice's state machine `orders`."""
    alice, bob = make_user("alice", AUTHORS), make_user("bob", AUTHORS)
    alices_account = account_for(alice).pk
    alices, _ = machines.create_state_machine(
        region="us-east-1",
        account=alices_account,
        name="orders",
        definition=PASS,
        role_arn="arn:aws:iam::1:role/r",
    )
    secret = json.dumps({"StartAt": "Bobs", "States": {"Bobs": {"Type": "Succeed"}}})
    bobs_version = shared_version(bob, definition=secret, visibility=Visibility.PRIVATE)
    execution = executions.run_workflow_version(bobs_version, input="{}", user=bob)
    alices.refresh_from_db()
    assert alices.definition == PASS
    assert execution.account_id != alices_account
    assert execution.state_machine.workflow_id == bobs_version.workflow_id
    # Alice running her own workflow of the same name gets a machine of its own beside hers.
    alices_version = shared_version(alice, name="orders")
    run = executions.run_workflow_version(alices_version, input="{}", user=alice)
    assert run.state_machine_id != alices.pk and run.state_machine.workflow_id == alices_version.workflow_id
    alices.refresh_from_db()
    assert alices.definition == PASS
    # A renamed workflow keeps its machine: the key is the workflow, not the name.
    designer.update_workflow(bobs_version.workflow, bob, name="orders-renamed")
    again = executions.run_workflow_version(bobs_version, input="{}", user=bob)
    assert again.state_machine_id == execution.state_machine_id


def test_security_roles_functions_belong_to_an_account(make_user):
    from rest_framework.test import APIClient

    alice, bob = make_user("alice", AUTHORS), make_user("bob", AUTHORS)
    clients = {}
    for user in (alice, bob):
        clients[user.username] = APIClient()
        clients[user.username].force_authenticate(user)
    assert (
        clients["alice"].post("/api/functions/", {"name": "resize", "code": CODE}, format="json").status_code
        == 201
    )
    # Bob can neither see nor overwrite nor delete alice's function...
    assert clients["bob"].get("/api/functions/").json()["results"] == []
    assert clients["bob"].get("/api/functions/resize/").status_code == 404
    hostile = "def handler(event, context):\n    return 'pwned'\n"
    assert (
        clients["bob"]
        .put("/api/functions/resize/", {"name": "resize", "code": hostile}, format="json")
        .status_code
        == 404
    )
    assert clients["bob"].delete("/api/functions/resize/").status_code == 404
    # ...and his own `resize` is another function.
    assert (
        clients["bob"].post("/api/functions/", {"name": "resize", "code": hostile}, format="json").status_code
        == 201
    )
    assert LocalFunction.objects.get(account=account_for(alice), name="resize").code == CODE


def test_security_roles_function_pages_are_per_account_and_for_authors(client, make_user):
    alice, bob, vera = make_user("alice", AUTHORS), make_user("bob", AUTHORS), make_user("vera", VIEWERS)
    LocalFunction.objects.create(account=account_for(alice), name="resize", code=CODE)
    client.force_login(bob)
    assert client.get(reverse("executions:function-detail", args=["resize"])).status_code == 404
    assert client.post(reverse("executions:function-delete", args=["resize"])).status_code == 404
    assert "resize" not in client.get(reverse("executions:function-list")).content.decode()
    client.force_login(vera)
    created = client.post(
        reverse("executions:function-create"), {"name": "mine", "code": CODE, "handler": "handler"}
    )
    assert created.status_code == 403
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(vera)
    assert api.post("/api/functions/", {"name": "mine", "code": CODE}, format="json").status_code == 403
    assert not LocalFunction.objects.filter(name="mine").exists()


def test_security_roles_a_viewer_in_the_account_sees_a_run_but_cannot_stop_it(client, make_user):
    alice, vera = make_user("alice", AUTHORS), make_user("vera", VIEWERS)
    account = account_for(alice)
    join(vera, account)  # a team account: the viewer is a member
    machine, _ = machines.create_state_machine(
        region="us-east-1",
        account=account.pk,
        name="slow",
        definition=json.dumps(
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
        ),
        role_arn="arn:aws:iam::1:role/r",
    )
    execution, _ = executions.start_execution(machine.arn, account.pk, owner_id=alice.pk)
    client.force_login(vera)
    page = client.get(reverse("executions:execution-detail", args=[execution.pk]))
    assert page.status_code == 200 and "Stop execution" not in page.content.decode()
    assert client.post(reverse("executions:execution-stop", args=[execution.pk])).status_code == 403
    assert client.post(reverse("executions:execution-redrive", args=[execution.pk])).status_code == 403
    execution.refresh_from_db()
    assert execution.status == "RUNNING"
    # An author of another account cannot even see it.
    client.force_login(make_user("bob", AUTHORS))
    assert client.get(reverse("executions:execution-detail", args=[execution.pk])).status_code == 404
    assert client.post(reverse("executions:execution-stop", args=[execution.pk])).status_code == 404


def test_security_roles_a_step_waiting_for_a_person_is_decided_by_reviewers(client, make_user):
    alice, rita = make_user("alice", AUTHORS), make_user("rita", REVIEWERS)
    account = account_for(alice).pk
    machine, _ = machines.create_state_machine(
        region="us-east-1", account=account, name="ask", definition=PASS, role_arn="arn:aws:iam::1:role/r"
    )
    execution, _ = executions.start_execution(machine.arn, account, owner_id=alice.pk)
    register_token(execution.pk, "tok-person", "Ask", None, "")
    task = TaskToken.objects.get(token="tok-person")
    url = reverse("executions:task-approval", args=[task.pk])
    client.force_login(alice)  # the author who started it
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(rita)  # a reviewer, from another account
    client.post(url, {"decision": "approve", "comment": "fine"})
    task.refresh_from_db()
    assert task.status == "SUCCEEDED"


def test_a_role_given_or_taken_in_this_process_counts_at_once(make_user, django_user_model):
    # The one check keeps a user's permissions a moment (every API call asks); a change made
    # here clears them, so a role taken away never lingers in the process that took it. Each
    # request loads its user afresh (Django keeps permissions on the user object too).
    from django.contrib.auth.models import Group

    from accounts.permissions import Action, allowed

    user = make_user("rae", VIEWERS)
    account = account_for(user).pk

    def may(action: Action) -> bool:
        return allowed(django_user_model.objects.get(pk=user.pk), action, account)

    assert may(Action.READ) and not may(Action.RUN)
    user.groups.add(Group.objects.get(name=AUTHORS))
    assert may(Action.RUN)
    user.groups.remove(Group.objects.get(name=AUTHORS))
    assert not may(Action.RUN)
    Group.objects.get(name=VIEWERS).permissions.clear()
    assert not may(Action.READ)
