"""Symphony's backends keep statements only where someone hears them (symphony/db/__init__.py):
DEBUG alone no longer formats every statement; the SQL log at DEBUG level and Django's query
capture (what assertNumQueries uses) still get every one. SQLite's placeholders, converted once
per statement, convert as Django's do. Database work of async code runs in a worker thread
between two connection checks, as channels' wrapper runs it."""

import logging
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from symphony.db import threads

pytestmark = pytest.mark.django_db


@pytest.fixture
def sql_log():
    logger = logging.getLogger("django.db.backends")
    level = logger.level
    yield logger
    logger.setLevel(level)


def test_debug_alone_keeps_no_statements(settings, sql_log):
    settings.DEBUG = True
    sql_log.setLevel(logging.INFO)
    connection.queries_log.clear()
    Account.objects.count()
    assert connection.queries == []


def test_the_sql_log_at_debug_level_gets_every_statement(settings, sql_log, caplog):
    settings.DEBUG = True
    sql_log.setLevel(logging.DEBUG)
    connection.queries_log.clear()
    with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
        Account.objects.filter(id=-7).count()
    assert any("-7" in query["sql"] for query in connection.queries)
    assert any("-7" in record.getMessage() for record in caplog.records)


def test_a_query_capture_gets_every_statement_without_debug(settings, sql_log):
    settings.DEBUG = False
    sql_log.setLevel(logging.INFO)
    with CaptureQueriesContext(connection) as captured:
        Account.objects.filter(id=-7).count()
    assert len(captured) == 1 and "-7" in captured[0]["sql"]


def test_sqlite_placeholders_are_converted_as_djangos_are():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's backend")
    with connection.cursor() as cursor:
        for _ in range(2):  # converted, then from the cache
            cursor.execute("SELECT %s, '100%%', %s", [1, "%s"])
            assert cursor.fetchone() == (1, "100%", "%s")
        cursor.execute("SELECT %(a)s, %(b)s", {"a": 2, "b": "x"})
        assert cursor.fetchone() == (2, "x")


async def test_in_thread_runs_off_the_loop_between_connection_checks(monkeypatch):
    checks = []
    monkeypatch.setattr(threads, "close_old_connections", lambda: checks.append(threading.get_ident()))
    loop_thread = threading.get_ident()

    def work(a, b):
        checks.append("work")
        return a + b, threading.get_ident()

    total, ran_on = await threads.in_thread(work, 2, 3)
    assert total == 5 and ran_on != loop_thread
    assert checks == [ran_on, "work", ran_on]

    def fails():
        raise ValueError("kept")

    with pytest.raises(ValueError, match="kept"):
        await threads.in_thread(fails)
    assert len(checks) == 5  # checked after a failure too
