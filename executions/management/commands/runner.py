"""``manage.py runner``: a process that runs executions and serves no web request.

Start any number beside web processes started with ``SYMPHONY_RUNNER=off`` (the scaled-out
shape: PostgreSQL the record and coordinator, Redis the doorbell). Each claims executions in
batches, renews its heartbeat every scan, and on SIGTERM or SIGINT stops its runs and releases
their leases so another runner resumes them at once; a killed runner's executions are taken
over when its heartbeat lapses.
"""

import gc
import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run executions in this process (web processes then run with SYMPHONY_RUNNER=off)."

    def handle(self, *args, **options) -> None:
        # Before the runner module reads it: this process always runs executions.
        os.environ["SYMPHONY_RUNNER"] = "process"
        from executions import runner

        if not getattr(settings, "REDIS_URL", ""):
            self.stderr.write(
                "REDIS_URL is not set: web processes cannot ring this runner, nor see its events "
                "live; it still finds new executions by scanning the database."
            )
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        running = runner.dispatcher()
        gc.freeze()  # as symphony/asgi.py: full collections need not walk what is loaded by now
        lease, scan = running.lease_seconds, running.scan_seconds
        self.stdout.write(f"runner {running.owner} started (lease {lease:g} s, scan {scan:g} s)")
        self.stdout.flush()
        stopping.wait()
        runner.shutdown()
        self.stdout.write(f"runner {running.owner} stopped; its leases are released")
