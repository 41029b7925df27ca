"""PostgreSQL, with a kept connection's health read off its socket first.

With CONN_HEALTH_CHECKS, Django checks a kept connection with a ``SELECT 1`` before a request's
first query. On the Step Functions endpoint every operation runs in a thread of its own and so
counts as a request: a round trip per call. A connection the server closed (a restart,
``pg_terminate_backend``) has its farewell waiting to be read while no query is in flight, so
only a connection with something to read is asked; a quiet one is taken as usable, as urllib3
judges its pooled connections.
"""

import select

from django.db.backends.postgresql import base

from symphony.db import QueriesLoggedWhenHeard


class DatabaseWrapper(QueriesLoggedWhenHeard, base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        try:
            waiting = select.poll()
            waiting.register(self.connection.fileno(), select.POLLIN)
            quiet = not waiting.poll(0)
        except (OSError, ValueError):
            return False
        return quiet or super().is_usable()
