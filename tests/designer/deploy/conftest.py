"""Publishing's fixtures: a real moto server over HTTP, a publisher with a workflow, and boto3's
credential chain pointed at files of the test's own (never the machine's AWS config)."""

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config
from django.contrib.auth.models import Group
from moto.server import ThreadedMotoServer

from designer import services
from designer.deploy import targets
from designer.roles import AUTHORS, PUBLISHERS
from tests.executions.conftest import LiveServer, free_port, make_server

ROLE = "arn:aws:iam::123456789012:role/sfn-exec"
GREET_FN = "arn:aws:lambda:us-east-1:123456789012:function:greet"
DEFINITION = {
    "Comment": "greets",
    "StartAt": "Greet",
    "States": {"Greet": {"Type": "Task", "Resource": "${GreetFn}", "End": True}},
}


class Moto:
    def __init__(self, port: int) -> None:
        self.port = port
        self.server: ThreadedMotoServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def reset(self) -> None:
        requests.post(f"{self.url}/moto-api/reset", timeout=10).raise_for_status()

    def sfn(self):
        """A client of the test's own, for checking what publish did."""
        return boto3.client(
            "stepfunctions",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Moto]:
    server = Moto(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_symphony(tmp_path_factory) -> Iterator[LiveServer]:
    """A second Symphony (uvicorn, its own database) as a publishing target."""
    server = make_server(tmp_path_factory.mktemp("symphony-target"))
    server.start()
    server.env["SYMPHONY_BASE_URL"] = server.url  # for its own commands that publish to itself
    yield server
    server.stop()


@pytest.fixture
def moto(moto_server: Moto) -> Moto:
    moto_server.reset()
    return moto_server


def make_moto_target(publisher, moto: Moto, **fields):
    """The target "moto": the test's moto server, with ${GreetFn} standing for GREET_FN."""
    return targets.create_target(
        publisher,
        name="moto",
        region="us-east-1",
        role_arn=ROLE,
        endpoint_url=moto.url,
        substitutions={"GreetFn": GREET_FN},
        **fields,
    )


@pytest.fixture(autouse=True)
def aws_env(tmp_path, monkeypatch) -> Path:
    """boto3's standard chain reads these: environment credentials, and config files of our own
    (the credentials file is returned, for tests that add a profile)."""
    credentials = tmp_path / "aws-credentials"
    credentials.write_text(
        "[moto-profile]\naws_access_key_id = profilekey\naws_secret_access_key = profilesecret\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "envkey")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    return credentials


def add_profile(credentials: Path, name: str, key: tuple[str, str]) -> None:
    with credentials.open("a") as file:
        file.write(f"[{name}]\naws_access_key_id = {key[0]}\naws_secret_access_key = {key[1]}\n")


@pytest.fixture
def publisher(make_user):
    user = make_user("pia", AUTHORS)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


def make_workflow(
    owner, name: str = "greeter", definition: dict | None = None, message: str = "first", **fields
):
    workflow = services.create_workflow(
        owner, name=name, definition=json.dumps(definition or DEFINITION, indent=2), **fields
    )
    services.create_version(workflow, owner, message=message)
    return workflow


def new_version(workflow, owner, definition: dict, message: str):
    draft = workflow.draft
    draft.refresh_from_db()
    services.save_draft(
        workflow, owner, expected_revision=draft.revision, definition=json.dumps(definition, indent=2)
    )
    return services.create_version(workflow, owner, message=message)


@pytest.fixture
def workflow(publisher):
    return make_workflow(publisher)


SYMPHONY_ROLE = "arn:aws:iam::000000000000:role/symphony-publish"
PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "${Stage}", "End": True}}}


def remote_client(server, key: tuple[str, str]):
    return boto3.client(
        "stepfunctions",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False),
    )


@pytest.fixture(scope="session")
def remote_keys(remote_symphony) -> dict:
    """On the target: a publisher (that role only), an author in the publisher's account (a team
    account) who runs executions, and a viewer."""
    keys = {
        "publisher": remote_symphony.create_access_key("remote-publisher", "publishers"),
        "runner": remote_symphony.create_access_key("remote-runner", "authors"),
        "viewer": remote_symphony.create_access_key("remote-viewer", "viewers"),
    }
    remote_symphony.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; from accounts.services import account_for, join; "
        "users = get_user_model().objects; "
        "join(users.get(username='remote-runner'), account_for(users.get(username='remote-publisher')))",
    )
    return keys


def make_remote_target(publisher, server, credentials, key: tuple[str, str], name: str):
    add_profile(credentials, name, key)
    return targets.create_target(
        publisher,
        name=name,
        region="us-east-1",
        role_arn=SYMPHONY_ROLE,
        endpoint_url=server.endpoint,
        profile=name,
        substitutions={"Stage": "prod"},
    )
