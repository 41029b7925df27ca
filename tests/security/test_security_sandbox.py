"""Local functions are code from authors running on the server: each probe here is a handler
that tries what a hostile author would (read the secret key and the database, write into the
project, reach PostgreSQL, fork without end, leave a process behind), each a real invocation
under the real sandbox (bubblewrap). Lambda's limits are the spec where it has one:
https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html."""

import errno
import os
import random
import socket
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from executions import function_pool, function_sandbox, functions

READ = """
import os

def handler(event, context):
    seen = {}
    for path in event["paths"]:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                with open(path, "rb") as f:
                    f.read(1)
            seen[path] = "read"
        except OSError as exc:
            seen[path] = type(exc).__name__
    return seen
"""


def invoke(code: str, event=None, **kwargs):
    return functions.IsolatedFunction("probe", code, **kwargs)(event if event is not None else {}, None)


def processes_with(marker: bytes, where: str = "cmdline") -> list[int]:
    """Host pids whose command line (or environment) holds ``marker``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / where).read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass  # ended meanwhile
    return found


def gone(marker: bytes, where: str = "cmdline", within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while processes_with(marker, where):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture(autouse=True)
def fresh_sandboxes():
    yield
    function_pool.pool.close()


@pytest.fixture
def server_files():
    """The server's secret key and SQLite file at their usual paths (made for the test if this
    checkout has none yet)."""
    secret, database = Path(settings.VAR_DIR) / "secret_key", Path(settings.VAR_DIR) / "symphony.sqlite3"
    made = [path for path in (secret, database) if not path.exists()]
    if secret in made:
        secret.write_text("not-a-real-key")
    if database in made:
        sqlite3.connect(database).execute("CREATE TABLE sessions (key TEXT)").connection.close()
    yield secret, database
    for path in made:
        path.unlink()


def test_security_sandbox_hides_the_secret_key_the_database_and_the_project(server_files):
    secret, database = server_files
    paths = [str(secret), str(database), str(settings.BASE_DIR), str(Path(settings.BASE_DIR) / "manage.py")]
    seen = invoke(READ, {"paths": paths})
    assert seen == dict.fromkeys(paths, "FileNotFoundError")


def test_security_sandbox_cannot_write_into_the_project_or_the_runtime(tmp_path):
    target = Path(settings.BASE_DIR) / f"written-by-a-function-{uuid.uuid4().hex}.txt"
    scratch = f"/tmp/scratch-{uuid.uuid4().hex}"
    paths = [str(target), "/usr/written-by-a-function", function_sandbox.SANDBOX_RUNTIME, scratch]
    code = """
import os

def handler(event, context):
    seen = {}
    for path in event["paths"]:
        try:
            with open(path, "a") as f:
                f.write("x")
            seen[path] = "written"
        except OSError as exc:
            seen[path] = errno_name(exc)
    return seen

def errno_name(exc):
    import errno
    return errno.errorcode.get(exc.errno, type(exc).__name__)
"""
    try:
        seen = invoke(code, {"paths": paths})
    finally:
        written = target.exists()
        target.unlink(missing_ok=True)
    assert not written
    assert seen[str(target)] in {"ENOENT", "EROFS", "EACCES"}
    assert seen["/usr/written-by-a-function"] in {"EROFS", "EACCES"}
    assert seen[function_sandbox.SANDBOX_RUNTIME] in {"EROFS", "EACCES"}
    assert seen[scratch] == "written"  # its own /tmp is private and writable
    assert not Path(scratch).exists()


CONNECT = """
import socket

def handler(event, context):
    try:
        with socket.create_connection((event["host"], event["port"]), timeout=3) as s:
            s.sendall(b"hello from the sandbox")
        return "connected"
    except OSError as exc:
        return type(exc).__name__
"""


def test_security_sandbox_has_no_network_by_default():
    # PostgreSQL listens on 127.0.0.1:5432 on the host; the sandbox has its own empty network.
    assert invoke(CONNECT, {"host": "127.0.0.1", "port": 5432}) in {
        "ConnectionRefusedError",
        "OSError",
        "TimeoutError",
    }


def test_security_sandbox_network_access_reaches_a_listening_socket():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        got: list[bytes] = []

        def accept():
            connection, _ = server.accept()
            with connection:
                got.append(connection.recv(100))

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        port = server.getsockname()[1]
        assert invoke(CONNECT, {"host": "127.0.0.1", "port": port}, network_access=True) == "connected"
        thread.join(5)
    assert got == [b"hello from the sandbox"]
    # The same function without the permission does not reach it.
    assert invoke(CONNECT, {"host": "127.0.0.1", "port": port}) != "connected"


def test_security_sandbox_forks_stop_at_the_process_limit():
    marker = uuid.uuid4().hex
    code = """
import os, signal

def handler(event, context):
    forked = 0
    try:
        while forked < event["tries"]:
            if os.fork() == 0:
                signal.pause()
                os._exit(0)
            forked += 1
    except OSError as exc:
        return {"forked": forked, "errno": exc.errno}
    return {"forked": forked, "errno": None}
"""
    tries = function_sandbox.MAX_PROCESSES + 100
    answer = invoke(code, {"tries": tries}, timeout_seconds=60, environment={"PROBE": marker})
    assert answer["errno"] == errno.EAGAIN
    assert answer["forked"] < function_sandbox.MAX_PROCESSES
    # Ending the sandbox ends every process in it.
    function_pool.pool.close()
    assert gone(f"PROBE={marker}".encode(), where="environ")


def test_security_sandbox_leaves_no_process_behind_after_a_timeout():
    # A grandchild in its own session escapes a process-group kill; not a PID namespace's end.
    marker = f"{random.randint(100000, 999999)}.{random.randint(1000, 9999)}"
    code = """
import subprocess, time

def handler(event, context):
    subprocess.Popen(["sleep", event["marker"]], start_new_session=True)
    time.sleep(30)
"""
    with pytest.raises(functions.FunctionError) as caught:
        invoke(code, {"marker": marker}, timeout_seconds=2)
    assert caught.value.error_type == "TimeoutError"
    assert gone(b"sleep\0" + marker.encode())


def test_security_sandbox_memory_and_tmp_are_limited():
    code = """
import errno, os

def handler(event, context):
    if event["what"] == "memory":
        return len(bytearray(event["mb"] * 1024 * 1024))
    written = 0
    chunk = b"x" * (1024 * 1024)
    try:
        with open("/tmp/big", "wb") as f:
            while written < event["mb"] * 1024 * 1024:
                written += f.write(chunk)
                f.flush()
    except OSError as exc:
        return {"written": written, "error": errno.errorcode.get(exc.errno)}
    return {"written": written, "error": None}
"""
    with pytest.raises(functions.FunctionError) as caught:
        invoke(code, {"what": "memory", "mb": 1024}, memory_mb=128)
    assert caught.value.error_type == "MemoryError"
    # Lambda's default /tmp is 512 MB; a file past it fails, and the host's /tmp never sees it.
    answer = invoke(code, {"what": "tmp", "mb": 600}, memory_mb=128)
    assert answer["error"] in {"EFBIG", "ENOSPC"}
    assert answer["written"] <= function_sandbox.TMP_BYTES


def test_security_sandbox_limits_are_set_and_cannot_be_raised():
    code = """
import resource

def handler(event, context):
    limits = {name: resource.getrlimit(getattr(resource, name)) for name in event["names"]}
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        raised = True
    except (ValueError, OSError):
        raised = False
    return {"limits": limits, "raised": raised}
"""
    expected = function_sandbox.limits(512)
    answer = invoke(code, {"names": sorted(expected)}, memory_mb=512)
    assert answer == {"limits": {name: [value, value] for name, value in expected.items()}, "raised": False}
    assert set(expected) == {"RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NPROC"}


def test_security_sandbox_environment_holds_only_declared_variables(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "server-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/symphony")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "server-aws-secret")
    code = """
import os

def handler(event, context):
    # Every process the sandbox can see, its own bwrap parents included.
    readable = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            readable.append(open(f"/proc/{pid}/environ", "rb").read().decode(errors="replace"))
        except OSError:
            pass
    return {**os.environ, "_processes": readable}
"""
    secret = f"api-key-{uuid.uuid4().hex}"
    seen = invoke(code, environment={"TABLE": "orders", "API_KEY": secret})
    processes = seen.pop("_processes")
    assert processes and not any("server-secret" in environ for environ in processes)
    assert seen["TABLE"] == "orders" and seen["API_KEY"] == secret
    # The warm sandbox is still there: its command lines, which any local user reads, hold no value.
    assert function_pool.pool.idle("probe") and not processes_with(secret.encode())
    assert seen["AWS_LAMBDA_FUNCTION_NAME"] == "probe" and seen["LAMBDA_TASK_ROOT"] == "/var/task"
    for name in ("SECRET_KEY", "DATABASE_URL", "AWS_SECRET_ACCESS_KEY", "DJANGO_SETTINGS_MODULE", "HOME"):
        assert name not in seen
    assert "server-secret" not in str(seen)


def test_security_sandbox_runs_as_nobody():
    code = "import os\ndef handler(event, context):\n    return [os.getuid(), os.getgid(), os.getgroups()]\n"
    assert invoke(code) == [65534, 65534, []]


def test_security_sandbox_is_warm_between_invocations():
    code = (
        "count = 0\n\ndef handler(event, context):\n    global count\n    count += 1\n"
        "    if event.get('crash'):\n        import os\n        os._exit(1)\n    return count\n"
    )
    function = functions.IsolatedFunction("counter", code)
    assert [function({}, None), function({}, None)] == [1, 2]  # module globals survive, as on Lambda
    with pytest.raises(functions.FunctionError):
        function({"crash": True}, None)
    assert function({}, None) == 1  # a crash ends the sandbox; the next call starts a new one
    assert function({}, None) == 2
    changed = functions.IsolatedFunction("counter", code + "# changed\n")
    assert changed({}, None) == 1  # new code, new sandbox
    assert function({}, None) == 3  # (the old version's is still warm, until reaped)


@pytest.mark.parametrize(
    ("bwrap", "reason"),
    [
        ("{tmp}/no-such-bwrap", "bubblewrap was not found at '{tmp}/no-such-bwrap' (SYMPHONY_BWRAP)"),
        ("/usr/bin/false", "could not start: exit status 1"),  # bwrap there but failing
    ],
)
def test_security_sandbox_unavailable_fails_the_call_and_never_runs_unconfined(
    settings, tmp_path, bwrap, reason
):
    settings.SYMPHONY_BWRAP = bwrap.format(tmp=tmp_path)
    touched = tmp_path / "ran"
    code = "def handler(event, context):\n    open(event['path'], 'w').write('ran')\n"
    with pytest.raises(functions.FunctionError) as caught:
        invoke(code, {"path": str(touched)})
    assert caught.value.error_type == "Runtime.SandboxUnavailable"
    assert str(caught.value).startswith("The function's sandbox could not start: ")
    assert reason.format(tmp=tmp_path) in str(caught.value)
    assert not touched.exists()


def test_security_sandbox_off_runs_as_the_server_and_the_page_says_so(settings, client, author):
    code = "import os\ndef handler(event, context):\n    return os.getuid()\n"
    client.force_login(author)
    page = client.get(reverse("executions:function-list")).content.decode()
    assert "Functions run unconfined" not in page and "Each call runs in a sandbox" in page
    assert invoke(code) == 65534
    settings.SYMPHONY_FUNCTION_SANDBOX = False
    assert invoke(code) == os.geteuid()
    page = client.get(reverse("executions:function-list")).content.decode()
    assert "Functions run unconfined, as the server." in page and 'id="sandbox-off"' in page
