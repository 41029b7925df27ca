"""A live Symphony (``symphony.serve``: uvicorn serving the ASGI app, embedded runner included)
on a free port with its own SQLite database, boto3 clients pointed at its Step Functions
endpoint, moto's server in its own process, and for the pages' tests an execution whose owner
may decide approvals."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = REPO_ROOT / ".." / "shared"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def moto_server(**env: str) -> Iterator[str]:
    """moto's server in its own process on a free port: its URL once it answers. ``env`` adds to
    the environment (INITIAL_NO_AUTH_ACTION_COUNT=0 checks credentials as AWS does); MOTO_PORT
    tells its Step Functions where its own SQS is (a state's sqs:sendMessage goes back over HTTP)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "MOTO_PORT": str(port), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@dataclass
class LiveServer:
    var_dir: Path
    env: dict
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path = field(default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.url}/aws/states/"

    def start(self) -> None:
        self.port = self.port or free_port()
        self.log = self.var_dir / "server.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "symphony.serve", "--port", str(self.port)],
            cwd=REPO_ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError(f"the server did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no lease released."""
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def function_calls(self, function: str) -> list:
        """What each invocation of a local function printed (one JSON value each), oldest first:
        the FunctionLog rows the server keeps. A function cannot write to the server's files."""
        code = (
            "import json; from executions.models import FunctionLog; print(json.dumps([e.log for e in "
            f"FunctionLog.objects.filter(function_name={function!r}).order_by('id')]))"
        )
        logs = json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])
        return [json.loads(log) for log in logs]

    def create_access_key(self, username: str, role: str | None = "authors") -> tuple[str, str]:
        """A key of ``username`` (created if new, added to ``role``: authors may run things)."""
        code = (
            "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
            "from designer.roles import apply_roles; from executions.services import access_keys; "
            f"u, _ = get_user_model().objects.get_or_create(username={username!r}); "
            f"apply_roles(); role = {role!r}; "
            "role and u.groups.add(Group.objects.get(name=role)); "
            "k = access_keys.create_access_key(u, 'test'); "
            "import json; print(json.dumps([k.access_key_id, k.secret_access_key]))"
        )
        key_id, secret = json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])
        return key_id, secret

    def revoke_access_key(self, username: str, key_id: str) -> None:
        code = (
            "from django.contrib.auth import get_user_model; from executions.services import access_keys; "
            f"access_keys.revoke_access_key(get_user_model().objects.get(username={username!r}), {key_id!r})"
        )
        self.manage("shell", "-c", code)


def make_server(var_dir: Path, **env: str) -> LiveServer:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(
        {
            "SYMPHONY_VAR_DIR": str(var_dir),
            "DEBUG": "true",
            "SYMPHONY_LEASE_SECONDS": "3",
            "SYMPHONY_SCAN_SECONDS": "0.5",
            "SYMPHONY_FUNCTIONS_DIR": str(var_dir / "functions"),
            "LOG_LEVEL": "WARNING",
        }
    )
    environment.update(env)
    server = LiveServer(var_dir, environment)
    server.manage("migrate", "--noinput")
    return server


@pytest.fixture(scope="session")
def live_sfn(tmp_path_factory) -> Iterator[LiveServer]:
    server = make_server(tmp_path_factory.mktemp("symphony-live"))
    server.start()
    yield server
    server.stop()


def client_for(endpoint: str, key: str = "test", secret: str = "test"):
    return boto3.session.Session().client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, read_timeout=90, inject_host_prefix=False),
    )


@pytest.fixture
def sfn(live_sfn):
    return client_for(live_sfn.endpoint)


ROLE = "arn:aws:iam::000000000000:role/symphony-tests"
PASS_DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ASK_DEFINITION = json.dumps({"StartAt": "Ask", "States": {"Ask": {"Type": "Pass", "End": True}}})


@pytest.fixture
def user(make_user):
    """The execution's owner (an author, in whose account it runs), who is also a reviewer (may
    decide approvals)."""
    # Django's modules are imported in the fixtures: the benchmarks import this module without it.
    from django.contrib.auth.models import Permission

    from designer.roles import AUTHORS

    rev = make_user("rev", AUTHORS)
    rev.user_permissions.add(Permission.objects.get(codename="decide_approval"))
    return rev


def start_execution_of(owner, machine: str, definition: str, **start: str):
    """An execution of a new state machine ``machine`` in ``owner``'s account, started as theirs;
    ``start`` goes to start_execution (name, input)."""
    from accounts.services import account_id_for
    from executions.services import executions, machines

    account = account_id_for(owner)
    created, _ = machines.create_state_machine(
        region="us-east-1",
        account=account,
        name=machine,
        definition=definition,
        role_arn=f"arn:aws:iam::{account}:role/r",
    )
    return executions.start_execution(created.arn, account, owner_id=owner.pk, **start)[0]


@pytest.fixture
def execution(user):
    """Execution e1 of `user`'s state machine "pages" (ASK_DEFINITION), input {"order": 7}."""
    return start_execution_of(user, "pages", ASK_DEFINITION, name="e1", input='{"order": 7}')
