"""Fixtures shared by the whole suite: users in each role, API clients, the shared data folder."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from designer.roles import AUTHORS, VIEWERS, apply_roles

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT / ".." / "shared"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory) -> None:
    """SQLite tests use a file, not Django's shared-cache memory database: its table locks take
    no busy timeout, so a test reading while the in-process runner wrote failed at once with
    "database table is locked". A file in WAL mode waits out the writer as the app does."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "symphony.db.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # Production hashing costs ~0.3 s per password; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shared_dir() -> Path:
    return SHARED_DIR


@pytest.fixture
def make_user(db, django_user_model) -> Callable:
    """`make_user("ana", role="authors")`: a user in that role (a group from designer.roles)."""
    apply_roles()

    def make(username: str, role: str | None = None, *, superuser: bool = False, password: str = "pw-12345!"):
        if superuser:
            return django_user_model.objects.create_superuser(username, f"{username}@example.com", password)
        user = django_user_model.objects.create_user(username, f"{username}@example.com", password)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def author(make_user):
    return make_user("ana", AUTHORS)


@pytest.fixture
def other_author(make_user):
    return make_user("ben", AUTHORS)


@pytest.fixture
def viewer(make_user):
    return make_user("vic", VIEWERS)


@pytest.fixture
def api_for() -> Callable[..., APIClient]:
    """An API client logged in as `user` (through the session, as the browser is)."""

    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return client_for


@pytest.fixture
def api(api_for, author) -> APIClient:
    return api_for(author)


@pytest.fixture(autouse=True)
def stop_the_runner(django_db_blocker):
    """A test that submits an execution starts this process's runner thread; stop it after the
    test, so it never holds the database (SQLite's single writer) in a later one."""
    yield
    from executions import runner

    if runner._runner is not None:
        with django_db_blocker.unblock():
            runner.shutdown()
