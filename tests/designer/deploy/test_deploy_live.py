"""Rollouts live over the WebSocket (channels' WebsocketCommunicator through the app's routes):
a follower gets the rollouts on connect and again when a step commits; the connect asks who may
follow the workflow's deployments, as the deploy page does, and an account sees only its own."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.services import account_for, join
from designer.deploy import publish, rollouts
from designer.models import Visibility
from designer.roles import AUTHORS, PUBLISHERS
from symphony.routing import websocket_urlpatterns
from tests.designer.deploy.conftest import DEFINITION, make_moto_target, make_workflow, new_version

pytestmark = pytest.mark.django_db(transaction=True)


def rolling_out(publisher, moto, visibility: str = Visibility.PRIVATE):
    """v1 on alias prod, then v2 rolling out linearly (50% now, all a minute later)."""
    make_moto_target(publisher, moto)
    workflow = make_workflow(publisher, visibility=visibility)
    publish.publish(workflow, publisher, target="moto", alias="prod")
    new_version(workflow, publisher, {**DEFINITION, "Comment": "v2"}, "v2")
    second = publish.publish(workflow, publisher, target="moto", alias="prod", rollout="linear50-1m")
    assert second.status == "SUCCEEDED", second.error
    return workflow, second


async def follow(user, workflow_id: int) -> tuple[WebsocketCommunicator, bool]:
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/workflows/{workflow_id}/rollouts/")
    socket.scope["user"] = user
    connected, _ = await socket.connect(timeout=10)
    return socket, connected


async def test_a_follower_sees_each_step_as_it_commits(publisher, moto):
    workflow, deployment = await sync_to_async(rolling_out)(publisher, moto)
    socket, connected = await follow(publisher, workflow.pk)
    assert connected
    first = await socket.receive_json_from(timeout=10)
    assert first["type"] == "rollouts"
    [rollout] = first["rollouts"]
    assert (rollout["deployment"], rollout["status"], rollout["weight"]) == (deployment.pk, "RUNNING", 50)

    later = timezone.now() + timedelta(minutes=1, seconds=1)
    await sync_to_async(rollouts.tick)(now=later)  # the loop's step: 50% -> all, committed, rung
    moved = await socket.receive_json_from(timeout=10)
    [rollout] = moved["rollouts"]
    assert (rollout["status"], rollout["weight"]) == ("SUCCEEDED", 100)
    assert rollout["events"][-1]["message"] == "All traffic on the new version."
    await socket.disconnect()


async def test_who_may_follow(publisher, moto, make_user, viewer):
    workflow, _ = await sync_to_async(rolling_out)(publisher, moto, Visibility.SHARED)

    @sync_to_async
    def people():
        author = make_user("amy", AUTHORS)  # an author in the publisher's account
        join(author, account_for(publisher))
        stranger = make_user("otto", AUTHORS)  # another account's publisher
        stranger.groups.add(Group.objects.get(name=PUBLISHERS))
        return author, stranger

    author, stranger = await people()
    socket, connected = await follow(author, workflow.pk)
    assert connected
    assert (await socket.receive_json_from(timeout=10))["rollouts"][0]["weight"] == 50
    await socket.disconnect()

    # Another account sees the shared workflow, and none of this account's rollouts.
    socket, connected = await follow(stranger, workflow.pk)
    assert connected
    assert await socket.receive_json_from(timeout=10) == {"type": "rollouts", "rollouts": []}
    await socket.disconnect()

    # A viewer of another account: the shared workflow, none of these rollouts.
    socket, connected = await follow(viewer, workflow.pk)
    assert connected
    assert await socket.receive_json_from(timeout=10) == {"type": "rollouts", "rollouts": []}
    await socket.disconnect()
    # Nobody signed in.
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/workflows/{workflow.pk}/rollouts/")
    assert await socket.connect(timeout=10) == (False, 4403)

    private = await sync_to_async(make_workflow)(publisher, "private-one")
    socket, connected = await follow(stranger, private.pk)
    assert not connected
