"""Warm sandboxes: Lambda's execution environments, reused between invocations of one function.

A ``Worker`` is one sandbox running ``function_runtime`` for one version of one function (its
code and configuration: anything that changes makes a new version). It serves one invocation at
a time; concurrent invocations of a function start more workers, up to ``MAX_PER_FUNCTION``.
An idle worker is kept for the next invocation (module globals survive, as on Lambda) until it
has been idle ``IDLE_SECONDS``, or ``MAX_IDLE`` others are idle. A timeout, a crash or an
answer that breaks the protocol kills the whole sandbox; the next invocation starts a new one.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import select
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings

from executions import function_sandbox

MAX_PER_FUNCTION = 4
MAX_IDLE = 16
IDLE_SECONDS = 300.0
REAP_SECONDS = 30.0
# Lambda gives a function's init phase 10 s; a sandbox that has not started by then will not.
START_SECONDS = 10.0
# Lambda's synchronous response limit (6 MB); a longer answer is not read into the server.
MAX_ANSWER_BYTES = 6 * 1024 * 1024
# The log kept per invocation (FunctionLog keeps the last 64 KiB).
MAX_LOG_BYTES = 64 * 1024

# Processes are started from one long-lived thread: bwrap's --die-with-parent follows the thread
# that started it, and the engine's worker threads come and go.
_spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="function-sandboxes")


class Timeout(Exception):
    def __init__(self, log: str) -> None:
        super().__init__("timed out")
        self.log = log


class Ended(Exception):
    """The runtime ended (or broke the protocol) without answering."""

    def __init__(self, reason: str, log: str) -> None:
        super().__init__(reason)
        self.log = log


@dataclass(frozen=True)
class Spec:
    """One version of a function, as its sandbox is started: what the runtime loads and where."""

    name: str
    code: str
    module: str
    handler: str
    memory_mb: int
    environment: dict[str, str] = field(default_factory=dict)
    network_access: bool = False
    account: str = ""  # whose function: two accounts' identical functions never share a sandbox

    @property
    def key(self) -> str:
        """Changes with the code, the configuration and the sandbox setting. Two functions that
        share a key share warm sandboxes (module globals): whatever tells owners apart (an
        account) belongs in it."""
        version = [
            self.account,
            self.name,
            self.code,
            self.module,
            self.handler,
            self.memory_mb,
            sorted(self.environment.items()),
            self.network_access,
            function_sandbox.enabled(),
            getattr(settings, "SYMPHONY_BWRAP", ""),
        ]
        return hashlib.sha256(json.dumps(version).encode("utf-8", "surrogatepass")).hexdigest()


class Worker:
    """One sandbox with the runtime in it, answering on its own pipe; stdout and stderr are the log."""

    def __init__(self, spec: Spec) -> None:
        self.spec, self.key = spec, spec.key
        self.last_used = time.monotonic()
        self.cpu_seconds = 0.0
        answer_read, answer_write = os.pipe()
        env = function_sandbox.environment(
            spec.name, f"{spec.module}.{spec.handler}", spec.memory_mb, spec.environment
        )
        try:
            argv, options = function_sandbox.command(answer_write, spec.network_access, env)
            try:
                self.process = _spawner.submit(
                    subprocess.Popen,
                    argv,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    pass_fds=(answer_write,),
                    start_new_session=True,
                    **options,
                ).result()
            except OSError as exc:
                raise function_sandbox.SandboxUnavailable(f"{argv[0]} could not start: {exc}") from None
        except BaseException:
            os.close(answer_read)
            raise
        finally:
            os.close(answer_write)
        self.answers = answer_read
        self.exited = os.pidfd_open(self.process.pid)
        self.out, self.err = self.process.stdout.fileno(), self.process.stderr.fileno()
        for fd in (self.answers, self.process.stdin.fileno(), *self._logs()):
            os.set_blocking(fd, False)
        self._buffers: dict[int, bytearray] = {fd: bytearray() for fd in (self.answers, *self._logs())}
        self._ended: set[int] = set()  # pipes at their end of file
        init = {
            "code": spec.code,
            "module": spec.module,
            "filename": f"{function_sandbox.TASK_ROOT}/{spec.module.replace('.', '/')}.py",
            "handler": spec.handler,
            "limits": function_sandbox.limits(spec.memory_mb),
        }
        try:
            self._exchange(init, time.monotonic() + START_SECONDS)
        except (Timeout, Ended) as exc:
            self.kill()
            lines = (exc.log + self._take_log()).strip().splitlines()
            reason = lines[-1] if lines else str(exc)
            if function_sandbox.enabled():
                raise function_sandbox.SandboxUnavailable(reason) from None
            raise Ended(reason, exc.log) from None

    def _logs(self) -> tuple[int, int]:
        return self.out, self.err

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def invoke(self, request: dict, timeout: float) -> tuple[dict, str]:
        """The runtime's answer to one invocation and what the handler printed meanwhile."""
        answer = self._exchange(request, time.monotonic() + timeout)
        self.cpu_seconds = answer.pop("cpuSeconds", self.cpu_seconds)
        return answer, self._take_log()

    def _exchange(self, message: dict, deadline: float) -> dict:
        """Send one line, wait for the answer line: the log pipes are read meanwhile so a handler
        that prints a lot never blocks on a full pipe."""
        pending = memoryview((json.dumps(message) + "\n").encode("utf-8", "surrogatepass"))
        stdin = self.process.stdin.fileno()
        while b"\n" not in self._buffers[self.answers]:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(self._take_log())
            poller = select.poll()
            for fd in {self.answers, *self._logs(), self.exited} - self._ended:
                poller.register(fd, select.POLLIN)
            if pending:
                poller.register(stdin, select.POLLOUT)
            for fd, _ in poller.poll(remaining * 1000):
                if fd == stdin:
                    try:
                        pending = pending[os.write(stdin, pending) :]
                    except BrokenPipeError:
                        raise Ended("the runtime closed its input", self._take_log()) from None
                elif fd == self.exited:
                    self._drain()
                    if b"\n" not in self._buffers[self.answers]:
                        status = self.process.wait()
                        raise Ended(self._stderr_reason() or f"exit status {status}", self._take_log())
                elif self._read(fd) == b"" and fd == self.answers:
                    # Most often the runtime is ending: say how, when it does soon.
                    try:
                        ending = f"exit status {self.process.wait(1)}"
                    except subprocess.TimeoutExpired:
                        ending = "the runtime closed its answers"
                    self._drain()
                    raise Ended(self._stderr_reason() or ending, self._take_log())
            if len(self._buffers[self.answers]) > MAX_ANSWER_BYTES:
                raise Ended(f"an answer over {MAX_ANSWER_BYTES:,} bytes", self._take_log())
        self._drain()
        line, _, rest = self._buffers[self.answers].partition(b"\n")
        self._buffers[self.answers] = bytearray(rest)
        try:
            answer = json.loads(line)
        except ValueError:
            raise Ended("an answer that is not JSON", self._take_log()) from None
        if not isinstance(answer, dict):
            raise Ended("an answer that is not a JSON object", self._take_log())
        return answer

    def _read(self, fd: int) -> bytes | None:
        """What is there to read (b"" at the end of the file, None when nothing is yet)."""
        if fd in self._ended:
            return b""
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return None
        if not chunk:
            self._ended.add(fd)
        buffer = self._buffers[fd]
        buffer += chunk
        if fd != self.answers and len(buffer) > 2 * MAX_LOG_BYTES:
            del buffer[:-MAX_LOG_BYTES]
        return chunk

    def _drain(self) -> None:
        """Read what the pipes hold now (a bounded amount: a process left running may keep writing)."""
        for fd in (self.answers, *self._logs()):
            for _ in range(MAX_ANSWER_BYTES >> 16):
                if not self._read(fd) or len(self._buffers[fd]) > MAX_ANSWER_BYTES:
                    break

    def _take_log(self) -> str:
        # Python-level output (print, logging, tracebacks) is on stderr; raw writes to fd 1 follow.
        log = bytes(self._buffers[self.err] + self._buffers[self.out])[-MAX_LOG_BYTES:]
        self._buffers[self.out].clear()
        self._buffers[self.err].clear()
        return log.decode("utf-8", "replace")

    def _stderr_reason(self) -> str:
        lines = self._buffers[self.err].decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def kill(self) -> None:
        """End the sandbox and every process in it (its PID namespace ends with the outer bwrap)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._drain()
        for closing in (self.process.stdin, self.process.stdout, self.process.stderr):
            closing.close()
        for fd in (self.answers, self.exited):
            os.close(fd)


class Pool:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._idle: list[Worker] = []  # least recently used first
        self._live: dict[str, int] = {}  # workers per key, idle or busy
        self._reaper: threading.Thread | None = None

    def invoke(self, spec: Spec, request: dict, timeout: float) -> tuple[dict, str]:
        worker = self._acquire(spec, time.monotonic() + timeout)
        reuse = False
        try:
            # The timeout starts once a sandbox is ready, as Lambda's starts after its init phase.
            answer, log = worker.invoke(request, timeout)
            reuse = not answer.get("retire") and worker.cpu_seconds < function_sandbox.CPU_SECONDS / 2
            return answer, log
        finally:
            self._release(worker, reuse)

    def _acquire(self, spec: Spec, deadline: float) -> Worker:
        """An idle worker of this version, else a new one (waiting while MAX_PER_FUNCTION are busy)."""
        key = spec.key
        with self._changed:
            while True:
                # A sandbox that died idle never answers. (An older version of the function is
                # never asked again: it ends idle, reaped or evicted.)
                dead = [w for w in self._idle if w.key == key and not w.alive]
                self._idle = [w for w in self._idle if w not in dead]
                self._kill(dead)
                found = next((w for w in reversed(self._idle) if w.key == key), None)
                if found is not None:
                    self._idle.remove(found)
                    return found
                if self._live.get(key, 0) < MAX_PER_FUNCTION:
                    self._live[key] = self._live.get(key, 0) + 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Timeout("")
                self._changed.wait(remaining)
        try:
            return Worker(spec)
        except BaseException:
            with self._changed:
                self._live[key] -= 1
                self._changed.notify_all()
            raise

    def _release(self, worker: Worker, reuse: bool) -> None:
        evicted: list[Worker] = []
        with self._changed:
            worker.last_used = time.monotonic()
            if reuse and worker.alive:
                self._idle.append(worker)
                evicted, self._idle = self._idle[:-MAX_IDLE], self._idle[-MAX_IDLE:]
            else:
                evicted = [worker]
            self._changed.notify_all()
            if self._reaper is None:
                self._reaper = threading.Thread(target=self._reap_forever, name="reaper", daemon=True)
                self._reaper.start()
        self._kill(evicted)

    def _kill(self, workers: list[Worker]) -> None:
        for worker in workers:
            worker.kill()
            with self._changed:
                self._live[worker.key] -= 1
                if not self._live[worker.key]:
                    del self._live[worker.key]
                self._changed.notify_all()

    def reap(self, idle_seconds: float = IDLE_SECONDS) -> None:
        """End the sandboxes idle for longer than ``idle_seconds``."""
        cutoff = time.monotonic() - idle_seconds
        with self._changed:
            expired = [w for w in self._idle if w.last_used <= cutoff]
            self._idle = [w for w in self._idle if w not in expired]
        self._kill(expired)

    def _reap_forever(self) -> None:
        while True:
            time.sleep(REAP_SECONDS)
            self.reap()

    def close(self) -> None:
        """End every idle sandbox (busy ones end when their invocation does)."""
        self.reap(idle_seconds=-1)

    def idle(self, name: str) -> list[Worker]:
        with self._changed:
            return [w for w in self._idle if w.spec.name == name]


pool = Pool()
atexit.register(pool.close)


def invoke(spec: Spec, request: dict, timeout: float) -> tuple[dict, str]:
    """One invocation in a warm sandbox of ``spec`` (started if none is idle): the runtime's
    answer and the log. Raises Timeout, Ended or function_sandbox.SandboxUnavailable."""
    return pool.invoke(spec, request, timeout)
