"""The local AWS: a moto server Symphony starts itself, as a child process on a free port of
127.0.0.1, the first time a task needs it (on the embedded default, with no endpoint set).

moto keeps its state in memory only (it has no persistence), so the tables, queues and buckets
of the local AWS last as long as the process that started it. What the samples use (the seed
file, `designer/samples/local-aws.json`: boto3 calls, `{account}` filled in) is created in each
account the first time that account calls the local AWS.
"""

from __future__ import annotations

import atexit
import json
import logging
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
    """One moto server child; `url` starts it on first use and restarts it if it died."""

    def __init__(self, log_dir: Path | None = None) -> None:
        self.log_dir = log_dir
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._lock = threading.Lock()
        # Accounts seeded in this server's lifetime.
        self.seeded: set[str] = set()

    @property
    def url(self) -> str:
        with self._lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            return f"http://127.0.0.1:{self.port}"

    def seed(self, account: str, calls: list[dict], client: Callable[[str], Any]) -> None:
        """Make the seed file's calls in the account once per server; one that fails (the table
        exists) does not stop the others."""
        with self._lock:
            if account in self.seeded:
                return
            self.seeded.add(account)
        for call in calls:
            args = json.loads(json.dumps(call.get("args", {})).replace("{account}", account))
            try:
                getattr(client(call["service"]), call["op"])(**args)
            except (BotoCoreError, ClientError) as exc:
                logger.warning("local AWS seed %s.%s in %s: %s", call["service"], call["op"], account, exc)

    def _start(self) -> None:
        self.seeded = set()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        log = subprocess.DEVNULL
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = (self.log_dir / "local-aws.log").open("ab")
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
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("The local AWS (moto's server) did not start; see var/local-aws.log.")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
