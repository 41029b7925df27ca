"""A live Symphony for the security probes: real uvicorn, real SigV4 through boto3, with keys
of users in each role."""

from collections.abc import Iterator

import pytest

from tests.executions.conftest import LiveServer, client_for, make_server


@pytest.fixture(scope="session")
def live(tmp_path_factory) -> Iterator[LiveServer]:
    server = make_server(tmp_path_factory.mktemp("symphony-security"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def keys(live) -> dict:
    """boto3 clients signed with the keys of alice and bob (authors, each in their own account),
    vera (viewer), rita (reviewer) and nora (no role)."""
    roles = {"alice": "authors", "bob": "authors", "vera": "viewers", "rita": "reviewers", "nora": None}
    return {
        user: client_for(live.endpoint, *live.create_access_key(user, role)) for user, role in roles.items()
    }
