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
