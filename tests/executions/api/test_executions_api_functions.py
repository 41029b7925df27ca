"""The local functions REST API: create, read, replace, delete; bad code and names refused."""

import pytest
from rest_framework.test import APIClient

from accounts.services import account_id_for
from designer.roles import VIEWERS
from executions import functions
from executions.models import LocalFunction

pytestmark = pytest.mark.django_db

CODE = "def handler(event, context):\n    return {'double': event['n'] * 2}\n"


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", "r@example.com", "pw-12345!")


@pytest.fixture
def admin_client(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


def test_executions_api_function_lifecycle(admin, admin_client):
    created = admin_client.post("/api/functions/", {"name": "double", "code": CODE}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["timeout_seconds"] == 30
    assert admin_client.get("/api/functions/double/").json()["code"] == CODE
    resources = functions.resources(account_id_for(admin))
    assert resources.functions["double"]({"n": 4}, None) == {"double": 8}
    patched = admin_client.patch("/api/functions/double/", {"timeout_seconds": 5}, format="json")
    assert patched.status_code == 200
    assert LocalFunction.objects.get(name="double").timeout_seconds == 5
    assert admin_client.delete("/api/functions/double/").status_code == 204
    assert not LocalFunction.objects.exists()


def test_executions_api_function_bad_input(admin_client):
    broken = admin_client.post(
        "/api/functions/", {"name": "broken", "code": "def handler(:\n"}, format="json"
    )
    assert broken.status_code == 400
    assert broken.json()["message"].startswith("code: line 1")
    bad_name = admin_client.post("/api/functions/", {"name": "no spaces", "code": CODE}, format="json")
    assert bad_name.status_code == 400
    admin_client.post("/api/functions/", {"name": "twice", "code": CODE}, format="json")
    again = admin_client.post("/api/functions/", {"name": "twice", "code": CODE}, format="json")
    assert again.status_code == 409


def test_executions_api_function_needs_permission(make_user):
    client = APIClient()
    assert client.get("/api/functions/").status_code in {401, 403}
    client.force_authenticate(make_user("plain", VIEWERS))  # reads, may not write functions
    assert client.get("/api/functions/").status_code == 200
    assert client.post("/api/functions/", {"name": "x", "code": CODE}, format="json").status_code == 403


def test_executions_api_function_environment_and_network_access(admin, admin_client):
    code = "import os\ndef handler(event, context):\n    return os.environ.get('TABLE')\n"
    created = admin_client.post(
        "/api/functions/",
        {"name": "env", "code": code, "environment": {"TABLE": "orders"}, "network_access": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["environment"], created.json()["network_access"]) == ({"TABLE": "orders"}, True)
    assert functions.resources(account_id_for(admin)).functions["env"]({}, None) == "orders"
    patched = admin_client.patch("/api/functions/env/", {"network_access": False}, format="json")
    assert (patched.json()["environment"], patched.json()["network_access"]) == ({"TABLE": "orders"}, False)
    assert (
        admin_client.post("/api/functions/", {"name": "plain", "code": CODE}, format="json").json()[
            "environment"
        ]
        == {}
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (["TABLE=orders"], "a JSON object"),
        ({"TZ": "Europe/Paris"}, "'TZ' is reserved"),
        ({"AWS_SECRET_ACCESS_KEY": "x"}, "reserved"),
        ({"1TABLE": "orders"}, "starts with a letter"),
        ({"TABLE": 5}, "must be a string"),
        ({"BIG": "x" * 5000}, "at most 4,096"),
        ({"TABLE": "a\u0000b"}, "a null byte"),  # PostgreSQL's jsonb refuses it: a 400, not a 500
    ],
)
def test_executions_api_function_environment_follows_lambdas_rules(admin_client, environment, message):
    # https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html (key pattern) and
    # configuration-envvars.html (reserved keys, 4 KB in all).
    response = admin_client.post(
        "/api/functions/", {"name": "env", "code": CODE, "environment": environment}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("environment: ") and message in response.json()["message"]
    assert not LocalFunction.objects.exists()
