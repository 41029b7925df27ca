"""The runners' hot statements on PostgreSQL read what they need whatever the statistics say.

A database that was never analyzed (autovacuum off, as on this machine, or not run yet since
the executions arrived) plans without statistics: every index that matches a condition costs
alike. With an index leading with the status, each commit's update of one execution (by id,
while RUNNING and leased) was planned as a scan of every running execution's entry.

Each statement is the one the app runs (captured as it ran, then explained), on a freshly
migrated database holding finished, running and unclaimed executions.
"""

import json
import subprocess
import sys

import pytest

from tests.executions.conftest import REPO_ROOT
from tests.executions.test_executions_runner_processes import database  # noqa: F401  (fixture)

pytestmark = pytest.mark.services

PLANS = r"""
import json
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from executions import effects
from executions.services import leases

call_command("migrate", verbosity=0)
columns = (
    "arn, name, state_machine_arn, state_machine_name, version_arn, alias_arn, type, definition,"
    " role_arn, status, input, trace_header, started_at, redrive_count, last_event_id,"
    " lease_owner, account_id"
)
with connection.cursor() as cursor:
    cursor.execute("INSERT INTO accounts_account VALUES ('123456789012', 'a', now())")
    cursor.execute("INSERT INTO executions_runner VALUES ('me', now(), now() + interval '1 minute')")
    cursor.execute("INSERT INTO executions_runner VALUES ('dead', now(), now() - interval '1 minute')")
    for prefix, status, owner, count in (
        ("done", "SUCCEEDED", "", 5000),
        ("held", "RUNNING", "me", 3000),
        ("dead", "RUNNING", "dead", 10),
        ("new", "RUNNING", "", 20),
    ):
        cursor.execute(
            f"INSERT INTO executions_execution ({columns}) SELECT '{prefix}-' || g, 'n', 'sm', 'sm',"
            f" '', '', 'STANDARD', '{{}}', '', '{status}', '{{}}', '', now(), 0, 0, '{owner}',"
            f" '123456789012' FROM generate_series(1, {count}) g"
        )
    cursor.execute("SELECT id FROM executions_execution WHERE arn = 'held-1500'")
    held = cursor.fetchone()[0]


def captured(run, startswith):
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            run()
            transaction.set_rollback(True)
    return next(q["sql"] for q in queries if q["sql"].startswith(startswith))


def plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        return cursor.fetchone()[0][0]["Plan"]


event = {"id": 1, "previousEventId": 0, "type": "PassStateEntered", "timestamp": timezone.now(),
         "stateEnteredEventDetails": {"name": "A", "input": "{}"}}
commit = captured(lambda: effects.commit_transition(held, "me", [event], None), "UPDATE")
pending = captured(lambda: leases.pending_starts(1000), "SELECT COUNT")
orphans = captured(lambda: leases.claim_orphans("me", 200), "SELECT \"executions_execution\".\"id\"")
print(json.dumps({"commit": plan(commit), "pending": plan(pending), "orphans": plan(orphans)}))
"""


def scans(plan: dict) -> list[dict]:
    """Every scan node of an EXPLAIN plan."""
    found = [plan] if "Scan" in plan["Node Type"] else []
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


def test_executions_leased_statements_read_by_key_and_lease_index_without_statistics(database):  # noqa: F811
    env = {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "symphony.settings", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PLANS], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    plans = json.loads(done.stdout.splitlines()[-1])

    # A commit updates its one execution found by its key.
    [commit] = scans(plans["commit"])
    assert commit["Index Name"] == "executions_execution_pkey", commit
    assert "(id = " in commit["Index Cond"]

    # A start's count of what waits for a runner reads the unclaimed entries of the running
    # executions' owner index, not every running execution.
    [pending] = scans(plans["pending"])
    assert pending["Index Name"] == "exec_running_owner", pending
    assert pending["Index Cond"] == "((lease_owner)::text = ''::text)"

    # A scan for orphans reads the entries of nobody and of the dead runners, not of the live.
    found = scans(plans["orphans"])
    assert {scan.get("Index Name") for scan in found} == {"exec_running_owner"}, found
    assert all("lease_owner" in scan.get("Index Cond", "") for scan in found), found
