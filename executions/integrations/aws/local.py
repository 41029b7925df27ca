"""The local AWS: a moto server Symphony starts itself, as a child process on a free port of
127.0.0.1, the first time a task needs it (on the embedded default, with no endpoint set).

moto keeps its state in memory only (it has no persistence), so the tables, queues and buckets
of the local AWS last as long as the process that started it. Processes sharing a `var/` (a web
process and `manage.py runner` processes) share one server: the first starts it and writes its
port to `var/local-aws.json`, the others use it while its process lives. What the samples use (the seed
file, `designer/samples/local-aws.json`: boto3 calls, `{account}` filled in) is created in each
account the first time that account calls the local AWS.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

logger = logging.getLogger(__name__)

START_SECONDS = 30.0


class LocalAws:
    """One moto server for the processes sharing `var_dir`; `url` starts it on first use (or
    uses the one another process started) and starts another if it died."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.pid = 0  # the server's process, this process's child or another's
        self.port = 0
        self._lock = threading.Lock()
        self._seeding = threading.RLock()  # re-entered by the seed's own client_for calls
        self._in_progress: set[str] = set()
        # Accounts seeded in this server's lifetime.
        self.seeded: set[str] = set()

    @property
    def url(self) -> str:
        with self._lock:
            if not self._alive():
                self.var_dir.mkdir(parents=True, exist_ok=True)
                with (self.var_dir / "local-aws.lock").open("w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)  # one process starts it, the others wait
                    if not self._adopt():
                        self._start()
            return f"http://127.0.0.1:{self.port}"

    def _alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        if not self.pid:
            return False
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return True

    def _adopt(self) -> bool:
        """Use the server another process started, if it still runs."""
        try:
            found = json.loads((self.var_dir / "local-aws.json").read_text())
            self.pid, self.port = int(found["pid"]), int(found["port"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if self._alive():
            self.seeded = set()
            return True
        self.pid = 0
        return False

    def seed(self, account: str, calls: list[dict[str, Any]], client: Callable[[str], Any]) -> None:
        """Make the seed file's calls in the account once per server; one that fails (the table
        exists) does not stop the others. Concurrent first calls of the account wait until its
        seed is in (a task must not reach for a queue the seed is still making)."""
        with self._seeding:
            if account in self.seeded or account in self._in_progress:
                return  # seeded, or this thread's own seed calls
            self._in_progress.add(account)
            for call in calls:
                args = json.loads(json.dumps(call.get("args", {})).replace("{account}", account))
                try:
                    getattr(client(call["service"]), call["op"])(**args)
                except (BotoCoreError, ClientError) as exc:
                    logger.info("local AWS seed %s.%s in %s: %s", call["service"], call["op"], account, exc)
            self.seeded.add(account)
            self._in_progress.discard(account)

    def _start(self) -> None:
        self.seeded = set()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        log = (self.var_dir / "local-aws.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/moto-api/", timeout=1).close()
                self.pid = self.proc.pid
                state = {"pid": self.pid, "port": self.port}
                (self.var_dir / "local-aws.json").write_text(json.dumps(state))
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("The local AWS (moto's server) did not start; see var/local-aws.log.")

    def stop(self) -> None:
        """Stop the server if this process started it (another's goes on)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            self.pid = 0
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
