"""The PostgreSQL backend's health check (symphony/db/postgresql/base.py), on the local server:
a quiet kept connection is used without a query; one the server ended is found and replaced."""

import time
from datetime import UTC, datetime

import dj_database_url
import psycopg
import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from executions import effects
from executions.events import EventRow

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def kept(django_db_blocker):
    """A kept, health-checked connection of Symphony's backend to the local `test` database (not
    the suite's database: pytest-django's guard is lifted for it alone)."""
    settings = dj_database_url.parse(
        "postgres://postgres@127.0.0.1:5432/test", conn_max_age=60, conn_health_checks=True
    )
    settings["ENGINE"] = "symphony.db.postgresql"
    connection = ConnectionHandler({"default": settings})["default"]
    with django_db_blocker.unblock():
        connection.ensure_connection()
        yield connection
        connection.close()


def last_query(pid: int) -> str:
    with psycopg.connect(ADMIN_URL) as admin:
        return admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]


def test_a_quiet_connection_is_usable_without_asking_the_server(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT 42")
    assert kept.is_usable()
    # The server saw no SELECT 1: its last statement from this connection is still ours.
    assert last_query(kept.connection.info.backend_pid) == "SELECT 42"


def test_a_connection_the_server_ended_is_found_and_replaced(kept):
    pid = kept.connection.info.backend_pid
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    deadline = time.monotonic() + 10
    while kept.is_usable():  # the server's farewell arrives a moment after the signal
        assert time.monotonic() < deadline, "a terminated connection still looked usable"
        time.sleep(0.05)
    # What Django does before a request's first query: the ended connection is replaced.
    kept.close_if_unusable_or_obsolete()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert kept.connection.info.backend_pid != pid


def test_history_rows_on_a_connection_the_server_ended_fail_as_django_errors(kept, monkeypatch):
    # The runner retries a statement on a new connection when Django says OperationalError;
    # COPY, psycopg's own, raised psycopg's (the soak saw an execution failed for it).
    monkeypatch.setattr(effects, "connection", kept)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (kept.connection.info.backend_pid,))
    time.sleep(0.5)
    with pytest.raises(OperationalError):
        effects._insert_events([EventRow(1, 1, 0, "ExecutionStarted", datetime.now(UTC), {})], ["{}"])
