"""Leases: two app processes on one database never advance the same execution, and when one
dies the other takes over what it was running once its leases expire."""

import json
import sqlite3
import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import default_account
from executions.effects import stored_events, stored_histories
from executions.models import Execution, HistoryEvent, Runner
from executions.services import executions, leases, machines
from tests.executions.conftest import PASS_DEFINITION as PASS
from tests.executions.conftest import ROLE, LiveServer, client_for, make_server

DEFINITION = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 2, "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}
EXPECTED = [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "WaitStateEntered",
    "WaitStateExited",
    "PassStateEntered",
    "PassStateExited",
    "ExecutionSucceeded",
]


def test_executions_two_processes_one_database(tmp_path):
    first = make_server(tmp_path)
    second = LiveServer(tmp_path, first.env)
    first.start()
    second.start()
    try:
        a, b = client_for(first.endpoint), client_for(second.endpoint)
        sm = a.create_state_machine(
            name=f"lease-{uuid.uuid4().hex[:8]}", definition=json.dumps(DEFINITION), roleArn=ROLE
        )["stateMachineArn"]
        arns = [(a if i % 2 else b).start_execution(stateMachineArn=sm)["executionArn"] for i in range(8)]
        # Every execution is waiting somewhere; the first process dies without a word.
        deadline = time.time() + 20
        while not all(
            "WaitStateEntered" in [e["type"] for e in b.get_execution_history(executionArn=arn)["events"]]
            for arn in arns
        ):
            assert time.time() < deadline
            time.sleep(0.05)
        first.kill()
        deadline = time.time() + 30
        while any(b.describe_execution(executionArn=arn)["status"] == "RUNNING" for arn in arns):
            assert time.time() < deadline, "the surviving process did not finish the executions"
            time.sleep(0.1)
        for arn in arns:
            assert b.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
            events = b.get_execution_history(executionArn=arn)["events"]
            assert [e["type"] for e in events] == EXPECTED
            assert [e["id"] for e in events] == list(range(1, len(EXPECTED) + 1))
    finally:
        first.stop()
        second.stop()


def pass_machine(account: str, name: str, kind: str):
    return machines.create_state_machine(
        region="us-east-1", account=account, name=name, definition=PASS, role_arn=ROLE, type=kind
    )[0]


def heartbeat(owner: str, seconds: float) -> None:
    """``owner``'s heartbeat, alive for ``seconds`` from now (lapsed ago when negative)."""
    Runner.objects.update_or_create(
        owner=owner, defaults={"expires_at": timezone.now() + timedelta(seconds=seconds)}
    )


@pytest.mark.django_db
def test_executions_a_start_is_claimed_as_it_is_inserted():
    """The process that accepts a start runs it: its runner's lease is taken in the insert, so
    no claim follows and no other runner's scan races for it (standard and express alike)."""
    account = default_account().pk
    for kind in ("STANDARD", "EXPRESS"):
        machine = pass_machine(account, f"claimed-{kind}", kind)
        execution, _ = executions.start_execution(machine.arn, account, lease="host:1:abc")
        execution.refresh_from_db()
        assert execution.lease_owner == "host:1:abc"
    unclaimed, _ = executions.start_execution(machine.arn, account)
    unclaimed.refresh_from_db()
    assert unclaimed.lease_owner == ""


@pytest.mark.django_db
def test_executions_an_express_run_whose_runner_died_fails_with_why():
    """Express executions run at most once (developer guide, "Choosing workflow type": Express
    is at-most-once): one whose runner's heartbeat lapsed is not run again by another runner,
    and is failed with the reason instead of showing RUNNING for ever. A standard one is left
    to be taken over; a live runner's, or the asking runner's own, is left alone."""
    account = default_account().pk
    heartbeat("dead:1:aa", -30)
    heartbeat("other:2:bb", 30)
    heartbeat("me:3:cc", -30)
    runs = {}
    for label, kind, owner in (
        ("stranded", "EXPRESS", "dead:1:aa"),
        ("standard", "STANDARD", "dead:1:aa"),
        ("live", "EXPRESS", "other:2:bb"),
        ("own", "EXPRESS", "me:3:cc"),
    ):
        machine = pass_machine(account, f"lost-{label}", kind)
        runs[label], _ = executions.start_execution(machine.arn, account, lease=owner)
    assert executions.fail_stranded_express("me:3:cc") == [runs["stranded"].pk]
    failed = Execution.objects.get(pk=runs["stranded"].pk)
    assert (failed.status, failed.error, failed.lease_owner) == ("FAILED", "States.Runtime", "")
    assert "run at most once" in failed.cause
    assert [e.type for e in failed.events.all()] == ["ExecutionFailed"]
    for label in ("standard", "live", "own"):
        assert Execution.objects.get(pk=runs[label].pk).status == "RUNNING"


@pytest.mark.django_db
def test_executions_a_heartbeat_is_one_row_however_many_are_held():
    """A runner renews its hold on every execution it runs by one row: the executions' rows are
    not written (a lease per execution rewrote thousands of rows a second for a runner holding
    thousands of waiting executions). The renewal says whether it had lapsed meanwhile."""
    account = default_account().pk
    machine = pass_machine(account, "held", "STANDARD")
    held = [executions.start_execution(machine.arn, account, lease="me:1:aa")[0] for _ in range(5)]
    written = {e.pk: (e.lease_owner, e.checkpoint, e.last_event_id) for e in held}

    assert leases.beat("me:1:aa", 10) is True  # never made: it may hold nothing for sure
    with CaptureQueriesContext(connection) as queries:
        assert leases.beat("me:1:aa", 10) is False
    assert not [q for q in queries if "executions_execution" in q["sql"]]
    assert Runner.objects.get(owner="me:1:aa").expires_at > timezone.now() + timedelta(seconds=9)
    assert {e.pk: (e.lease_owner, e.checkpoint, e.last_event_id) for e in Execution.objects.all()} == written

    heartbeat("me:1:aa", -1)
    assert leases.beat("me:1:aa", 10) is True  # lapsed: others may have taken some over


@pytest.mark.django_db
def test_executions_a_lapsed_runner_learns_what_it_no_longer_holds():
    """After a lapse, a runner looks up what it still holds, however many it runs: past a
    backend's cap on a statement's parameters (PostgreSQL's 65,535; SQLite's 32,766 or 250,000)
    the lookup failed. The ids are one parameter (symphony/db/lookups.py)."""
    account = default_account().pk
    runs = {}
    for label, owner, status in (
        ("mine", "me:1:aa", "RUNNING"),
        ("theirs", "other:2:bb", "RUNNING"),
        ("ended", "me:1:aa", "SUCCEEDED"),
    ):
        runs[label], _ = executions.start_execution(
            pass_machine(account, f"held-{label}", "STANDARD").arn, account, lease=owner
        )
        Execution.objects.filter(pk=runs[label].pk).update(status=status)
    gone = list(range(10**9, 10**9 + 300_000))  # held by runs that ended meanwhile
    held = [runs[label].pk for label in ("mine", "theirs", "ended")] + gone

    assert set(leases.still_held("me:1:aa", held)) == {runs["theirs"].pk, runs["ended"].pk, *gone}
    assert leases.still_held("me:1:aa", []) == []


@pytest.mark.django_db
def test_executions_only_a_dead_runners_executions_are_taken_over():
    """A scan claims what nobody holds and what a runner whose heartbeat lapsed held; a live
    runner's executions, and a dead runner's express ones (run at most once), stay put. A stop
    lets a runner's executions go at once and deletes its heartbeat."""
    account = default_account().pk
    heartbeat("dead:1:aa", -5)
    heartbeat("live:2:bb", 30)
    standard, express = pass_machine(account, "orphans", "STANDARD"), pass_machine(account, "x", "EXPRESS")
    runs = {
        "unclaimed": executions.start_execution(standard.arn, account)[0],
        "dead": executions.start_execution(standard.arn, account, lease="dead:1:aa")[0],
        "dead express": executions.start_execution(express.arn, account, lease="dead:1:aa")[0],
        "live": executions.start_execution(standard.arn, account, lease="live:2:bb")[0],
    }

    claimed = leases.claim_orphans("me:3:cc", limit=10)

    assert sorted(claimed) == sorted([runs["unclaimed"].pk, runs["dead"].pk])
    owners = dict(Execution.objects.values_list("pk", "lease_owner"))
    assert owners[runs["live"].pk] == "live:2:bb"
    assert owners[runs["dead express"].pk] == "dead:1:aa"
    # Claimed by id (a start from the work queue): a dead runner's, not a live one's.
    assert leases.claim_executions([runs["live"].pk], "me:3:cc") == []
    heartbeat("dead:1:aa", -5)
    Execution.objects.filter(pk=runs["dead"].pk).update(lease_owner="dead:1:aa")
    assert [e.pk for e in leases.claim_executions([runs["dead"].pk], "me:3:cc")] == [runs["dead"].pk]

    leases.release_leases("live:2:bb")
    assert Execution.objects.get(pk=runs["live"].pk).lease_owner == ""
    assert not Runner.objects.filter(owner="live:2:bb").exists()


@pytest.mark.django_db
def test_executions_dead_runners_heartbeats_are_forgotten_once_they_hold_nothing():
    account = default_account().pk
    heartbeat("long-dead:1:aa", -7200)
    heartbeat("long-dead-holding:2:bb", -7200)
    heartbeat("just-dead:3:cc", -5)
    executions.start_execution(
        pass_machine(account, "kept", "STANDARD").arn, account, lease="long-dead-holding:2:bb"
    )

    assert leases.forget_dead_runners(timedelta(hours=1)) == 1

    assert sorted(Runner.objects.values_list("owner", flat=True)) == [
        "just-dead:3:cc",
        "long-dead-holding:2:bb",
    ]


def test_executions_a_dead_runners_executions_are_all_taken_over_in_one_scan(tmp_path):
    """A runner killed while holding more executions than one claim takes has them all taken
    over at the next scan, not a batch per scan: 10,000 took 100 scans (about 100 s at the
    default scan of 1 s). The survivor here scans once an hour, so only its first scan can."""
    server = make_server(tmp_path, SYMPHONY_SCAN_SECONDS="3600")
    orphans = 450  # beyond two claims' batches
    server.manage(
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from accounts.services import default_account; from executions.models import Execution; "
        "from executions.services import executions, machines; "
        "account = default_account().pk; "
        "machine = machines.create_state_machine(region='us-east-1', account=account, name='orphans', "
        f"definition={PASS!r}, role_arn={ROLE!r})[0]; "
        f"[executions.start_execution(machine.arn, account) for _ in range({orphans})]; "
        "from executions.models import Runner; "
        "Runner.objects.create(owner='dead:1:aa', expires_at=timezone.now() - timedelta(seconds=30)); "
        "Execution.objects.update(lease_owner='dead:1:aa')",
    )
    database = sqlite3.connect(tmp_path / "symphony.sqlite3")
    server.start()
    try:
        deadline = time.time() + 60
        while (ended := count_succeeded(database)) < orphans:
            assert time.time() < deadline, f"{ended} of {orphans} taken over and run"
            time.sleep(0.1)
        holders = database.execute("SELECT DISTINCT lease_owner FROM executions_execution").fetchall()
        assert holders == [("",)]  # each run ended and let its lease go
    finally:
        server.stop()
        database.close()


def count_succeeded(database: sqlite3.Connection) -> int:
    query = "SELECT count(*) FROM executions_execution WHERE status = 'SUCCEEDED'"
    return database.execute(query).fetchone()[0]


@pytest.mark.django_db
def test_executions_a_claimed_batchs_histories_are_read_as_each_alone():
    """A batch of executions taken over has its short histories read in one query: each the
    same events, in the same order and form, as its own read gives."""
    account = default_account().pk
    machine = pass_machine(account, "histories", "STANDARD")
    runs = [executions.start_execution(machine.arn, account)[0] for _ in range(3)]
    stamp = timezone.now()
    for run, count in zip(runs, (3, 1, 0), strict=True):
        for event_id in range(count, 0, -1):  # written out of order: read back in order
            HistoryEvent.objects.create(
                execution=run,
                event_id=event_id,
                previous_event_id=event_id - 1,
                type="PassStateEntered",
                timestamp=stamp + timedelta(seconds=event_id),
                details={"stateEnteredEventDetails": {"name": f"S{event_id}"}},
            )

    together = stored_histories([run.pk for run in runs])

    assert together == {run.pk: stored_events(run.pk) for run in runs}
    assert [e["id"] for e in together[runs[0].pk]] == [1, 2, 3]
    assert together[runs[2].pk] == []


@pytest.mark.django_db
def test_executions_the_admin_lists_runners_alive_or_dead_with_what_each_holds_read_only(admin_client):
    account = default_account().pk
    heartbeat("live:1:aa", 30)
    heartbeat("dead:2:bb", -30)
    machine = pass_machine(account, "listed", "STANDARD")
    for _ in range(3):
        executions.start_execution(machine.arn, account, lease="live:1:aa")

    page = admin_client.get("/admin/executions/runner/")

    assert page.status_code == 200
    rows = {
        runner.owner: (runner.holding, page.context["cl"].model_admin.alive(runner))
        for runner in page.context["cl"].result_list
    }
    assert rows == {"live:1:aa": (3, True), "dead:2:bb": (None, False)}
    # A runner's row is its hold on its executions: nobody deletes or edits it by hand.
    assert admin_client.post("/admin/executions/runner/live:1:aa/delete/", {"post": "yes"}).status_code == 403
    assert Runner.objects.filter(owner="live:1:aa").exists()
    assert admin_client.get("/admin/executions/runner/add/").status_code == 403


@pytest.mark.django_db
def test_executions_the_runners_admin_is_for_staff_given_the_view_permission(client, django_user_model):
    """Django's admin permissions (docs.djangoproject.com, "The Django admin site",
    ModelAdmin.has_view_permission): staff without ``view_runner`` are refused, staff with it
    read and cannot change; someone who is not staff is sent to the admin's sign-in."""
    heartbeat("live:1:aa", 30)
    page = "/admin/executions/runner/"
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    assert client.get(page).url.startswith("/admin/login/")

    staff = django_user_model.objects.create_user("operator", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(page).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_runner"))
    client.force_login(django_user_model.objects.get(pk=staff.pk))  # permissions are cached per user object
    listed = client.get(page)
    assert listed.status_code == 200
    assert [runner.owner for runner in listed.context["cl"].result_list] == ["live:1:aa"]
    assert client.post(f"{page}live:1:aa/delete/", {"post": "yes"}).status_code == 403
    assert Runner.objects.filter(owner="live:1:aa").exists()


@pytest.mark.django_db
def test_executions_the_admin_names_aliases_in_english(admin_client):
    assert "State machine aliases" in admin_client.get("/admin/").content.decode()
