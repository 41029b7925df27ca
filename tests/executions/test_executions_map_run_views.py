"""The run view's map runs table and the list of a map run's child executions."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from executions.models import Execution, MapRun
from tests.executions.conftest import start_execution_of

pytestmark = pytest.mark.django_db

DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


@pytest.fixture
def parent(admin_user):
    return start_execution_of(admin_user, "mr", DEFINITION, name="parent", input="[1, 2]")


@pytest.fixture
def map_run(parent):
    account = parent.account_id
    arn = f"arn:aws:states:us-east-1:{account}:mapRun:mr/Items:5f0c"
    run = MapRun.objects.create(
        arn=arn,
        execution=parent,
        state_machine_arn=f"arn:aws:states:us-east-1:{account}:stateMachine:mr/Items",
        label="Items",
        started_at=timezone.now(),
        max_concurrency=4,
        item_counts={"succeeded": 1, "running": 1, "total": 2},
        execution_counts={"succeeded": 1, "running": 1, "total": 2},
    )
    for name, status in (("child-one", "SUCCEEDED"), ("child-two", "RUNNING")):
        Execution.objects.create(
            arn=f"arn:aws:states:us-east-1:{account}:execution:mr/Items:{name}",
            account_id=account,
            name=name,
            state_machine_arn=run.state_machine_arn,
            state_machine_name="mr/Items",
            definition=DEFINITION,
            role_arn=parent.role_arn,
            status=status,
            started_at=timezone.now(),
            owner_id=parent.owner_id,
            map_run=run,
            item_count=1,
        )
    return run


def test_the_run_view_lists_map_runs_with_their_counts(client, admin_user, parent, map_run):
    client.force_login(admin_user)
    page = client.get(reverse("executions:execution-detail", args=[parent.pk])).content.decode()
    assert "Map runs" in page and f'data-map-run="{map_run.arn}"' in page
    assert f"?map_run={map_run.pk}" in page
    row = page[page.index(f'data-map-run="{map_run.arn}"') :]
    assert "<td>1</td><td>0</td>" in row[: row.index("</tr>")]  # 1 succeeded, 0 failed


def test_child_executions_are_listed_under_their_map_run_only(client, admin_user, parent, map_run):
    client.force_login(admin_user)
    everything = client.get(reverse("executions:execution-list")).content.decode()
    assert "parent" in everything and "child-one" not in everything
    children = client.get(reverse("executions:execution-list"), {"map_run": map_run.pk}).content.decode()
    assert "child-one" in children and "child-two" in children
    assert ">parent<" in children  # the way back to the parent run
    assert "Child executions of map run Items" in children
