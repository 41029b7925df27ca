"""Database work of an async view, in a worker thread, with a request's connection lifecycle.

What channels' ``database_sync_to_async(fn, thread_sensitive=False)`` does (connections too old
or broken are closed before and after, as at a request's start and end), without asgiref's work
per call: it copies the caller's context variables into the thread and back again, a twelfth
of a Step Functions call's CPU. Functions run here must not need the caller's context variables
(a translation or time zone activated in the view); the endpoint's operations need none.
"""

import asyncio
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections


async def in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a thread of the loop's default pool."""
    return await asyncio.get_running_loop().run_in_executor(None, _with_connections, fn, args)


def _with_connections(fn: Callable[..., Any], args: tuple) -> Any:
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()
