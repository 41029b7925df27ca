"""The sandbox a local function runs in: bubblewrap's command line, the environment, the limits.

A sandbox sees the Python runtime (``/usr``, the interpreter's prefix) and the runtime's one file
(``function_runtime.py`` as ``/var/runtime/bootstrap.py``), read-only; a private ``/tmp``;
``/proc`` of its own PID namespace; no network unless the function has ``network_access``. It
runs as uid/gid 65534 with no capabilities and cannot make user namespaces. Nothing of the app
(``var/``, the database, the secret key, the project tree) is in its view. Killing the outer
``bwrap`` ends every process in the sandbox: it is PID 1's parent, and ``--die-with-parent``.

As root, bwrap cannot map another uid into a user namespace (a process of the sandbox would
still be root outside, which RLIMIT_NPROC does not count), so an outer bwrap, privileged, builds
the view and the namespaces, and an inner one, started as 65534 by ``setpriv``, adds the user
namespace. As any other user, one unprivileged bwrap does both.

``SYMPHONY_FUNCTION_SANDBOX=off`` runs functions unconfined, as the server's user (a
single-user laptop without bubblewrap); ``SYMPHONY_BWRAP`` names the binary (default: ``bwrap``
on the PATH).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from django.conf import settings

from executions.arns import DEFAULT_REGION

RUNTIME = Path(__file__).with_name("function_runtime.py")
SANDBOX_RUNTIME = "/var/runtime/bootstrap.py"
SANDBOX_BWRAP = "/var/runtime/bwrap"
# Where Lambda's Python runtime unpacks a function's code: its stack traces name these files.
TASK_ROOT = "/var/task"
SANDBOX_UID = 65534  # nobody

# Lambda's quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
# 1,024 processes and threads, /tmp of 512 MB by default. The address space is the function's
# memory plus the interpreter's own share (each process). CPU time per process is a backstop
# behind the timeout: a warm sandbox that has used half of it is not reused.
MAX_PROCESSES = 1024
TMP_BYTES = 512 * 1024 * 1024
INTERPRETER_MB = 256
CPU_SECONDS = 1800

# Lambda reserves these environment variable names (https://docs.aws.amazon.com/lambda/latest/dg/
# configuration-envvars.html, "Defined runtime environment variables"); a function may not set them.
RESERVED_VARIABLES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
        "TZ",
    }
)

# What a sandbox with network access needs to resolve names and check certificates.
NETWORK_FILES = ("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/ssl", "/etc/ca-certificates")


class SandboxUnavailable(Exception):
    """The sandbox cannot start; the message says why and what to do."""


def enabled() -> bool:
    return bool(getattr(settings, "SYMPHONY_FUNCTION_SANDBOX", True))


def bwrap_path() -> str:
    """The bubblewrap binary, or SandboxUnavailable naming the setting and the package."""
    configured = getattr(settings, "SYMPHONY_BWRAP", "") or "bwrap"
    found = shutil.which(configured)
    if found is None:
        raise SandboxUnavailable(
            f"bubblewrap was not found at {configured!r} (SYMPHONY_BWRAP): install it "
            "(apt-get install bubblewrap), or on a single-user machine set SYMPHONY_FUNCTION_SANDBOX=off"
        )
    return found


def interpreter() -> str:
    """This Python's executable (not the virtualenv's link to it): handlers get its standard library."""
    return os.path.realpath(sys.executable)


def environment(name: str, handler: str, memory_mb: int, declared: dict[str, str]) -> dict[str, str]:
    """The variables Lambda's Python runtime defines, and the function's own; nothing of the server's."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": TASK_ROOT,
        "LAMBDA_RUNTIME_DIR": os.path.dirname(SANDBOX_RUNTIME),
        "_HANDLER": handler,
        "AWS_REGION": DEFAULT_REGION,
        "AWS_DEFAULT_REGION": DEFAULT_REGION,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_python{sys.version_info.major}.{sys.version_info.minor}",
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        **declared,
    }


def limits(memory_mb: int) -> dict[str, int]:
    """rlimits the runtime sets on itself before it loads the function (see function_runtime)."""
    found = {
        "RLIMIT_AS": (memory_mb + INTERPRETER_MB) * 1024 * 1024,
        "RLIMIT_FSIZE": TMP_BYTES,
        "RLIMIT_CPU": CPU_SECONDS,
    }
    if enabled():
        # Counted per user namespace, so per sandbox; unconfined it would count every process
        # of the server's user.
        found["RLIMIT_NPROC"] = MAX_PROCESSES
    return found


def _dirs(path: str, made: set[str]) -> list[str]:
    """bwrap arguments making the folders above ``path`` world-traversable: left to itself, bwrap
    makes them accessible to the invoking user only (/root, /var: 0700)."""
    args = []
    for parent in reversed(Path(path).parents):
        name = str(parent)
        if name not in made and name != "/" and name != "/usr" and not name.startswith("/usr/"):
            made.add(name)
            args += ["--perms", "0755", "--dir", name]
    return args


def command(answer_fd: int, network: bool, env: dict[str, str]) -> tuple[list[str], dict]:
    """The argv that starts the runtime, and ``subprocess.Popen`` keywords; sandboxed unless the
    setting is off. The runtime answers on ``answer_fd``."""
    python = interpreter()
    if not enabled():
        argv = [python, "-I", "-X", "utf8", str(RUNTIME), str(answer_fd)]
        return argv, {"env": env, "cwd": tempfile.gettempdir()}
    bwrap = bwrap_path()
    prefix = sys.base_prefix
    view = ["--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        view += ["--symlink", target, f"/{link}"] if target else ["--ro-bind-try", f"/{link}", f"/{link}"]
    made: set[str] = set()
    if prefix != "/usr" and not prefix.startswith("/usr/"):
        view += [*_dirs(prefix, made), "--ro-bind", prefix, prefix]
    view += [
        *_dirs(SANDBOX_RUNTIME, made), "--ro-bind", str(RUNTIME), SANDBOX_RUNTIME,
        *_dirs(TASK_ROOT, made), "--perms", "0755", "--dir", TASK_ROOT,
        "--proc", "/proc",
        "--dev", "/dev",
        "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
    ]  # fmt: skip
    if network:
        for path in NETWORK_FILES:
            view += ["--ro-bind-try", path, path]
    namespaces = ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not network:
        namespaces.append("--unshare-net")
    user = ["--unshare-user", "--disable-userns", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    process = ["--die-with-parent", "--new-session", "--chdir", TASK_ROOT]
    runtime = [python, "-I", "-X", "utf8", SANDBOX_RUNTIME, str(answer_fd)]
    # bwrap passes its own environment on: given to it (not as --setenv), the function's variables
    # stay out of command lines that any local user can read.
    options = {"env": env}
    if os.geteuid() != 0:
        return [bwrap, *namespaces, *user, *view, *process, "--", *runtime], options
    # The inner bwrap runs inside the view: the binary is bound in beside the runtime.
    view += ["--ro-bind", bwrap, SANDBOX_BWRAP]
    outer = [bwrap, *namespaces, *view, *process, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    drop = ["/usr/bin/setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}", "--clear-groups", "--"]
    # --dev-bind: a plain bind would mount the outer view's /dev without device access.
    inner = [SANDBOX_BWRAP, *user, "--dev-bind", "/", "/", "--die-with-parent", "--new-session"]
    return [*outer, "--", *drop, *inner, "--", *runtime], options
