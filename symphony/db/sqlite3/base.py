"""SQLite, with the write transactions of one process taking turns.

SQLite has one write lock per database. A transaction waiting for it (``BEGIN IMMEDIATE``)
polls through SQLite's busy handler, which sleeps between tries in steps growing to 100 ms:
under load a waiting writer slept through the moments the lock was free, and a start or a
runner's commit waited hundreds of milliseconds behind the others. Here a process's
transactions first queue on one lock, handed over as each commits, and then take SQLite's at
once. Other processes on the same file, and single statements outside a transaction, still
meet SQLite's own wait.

Statements' placeholders are converted to SQLite's once per statement text, not at every run:
the same few statements run at every call, and converting a history INSERT with a regular
expression was a tenth of a commit's CPU.
"""

import functools
import threading

from django.db.backends.sqlite3 import base

from symphony.db import QueriesLoggedWhenHeard

# As the busy timeout: a turn not given by then (a transaction held open) is not waited for,
# and SQLite's own wait decides.
WAIT_SECONDS = 20.0
_turn = threading.Lock()


@functools.lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(QueriesLoggedWhenHeard, base.DatabaseWrapper):
    _has_turn = False

    def create_cursor(self, name: str | None = None) -> CursorWrapper:
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self) -> None:
        self._has_turn = _turn.acquire(timeout=WAIT_SECONDS)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._end_turn()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._end_turn()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._end_turn()

    def _end_turn(self) -> None:
        if self._has_turn:
            self._has_turn = False
            _turn.release()
