"""Symphony's database backends: Django's, each with what its module says it changes.

Every one logs queries only where someone hears them. Django logs and keeps each statement
whenever DEBUG is on, and `make run` serves with DEBUG on: formatting every statement for a log
nobody reads was a twentieth of the server's CPU per execution (tests/bench/bench_runner.py).
Statements are kept when the ``django.db.backends`` logger takes DEBUG records (LOG_LEVEL=DEBUG)
or when something asks for them (``CaptureQueriesContext``, ``assertNumQueries``).
"""

import logging

from django.conf import settings

_sql_log = logging.getLogger("django.db.backends")


class QueriesLoggedWhenHeard:
    """A mixin for a ``DatabaseWrapper``: see the module docstring."""

    force_debug_cursor: bool

    @property
    def queries_logged(self) -> bool:
        return self.force_debug_cursor or (settings.DEBUG and _sql_log.isEnabledFor(logging.DEBUG))
