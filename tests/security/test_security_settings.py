"""Production settings come from the environment: with the values .env.example documents,
`manage.py check --deploy` prints no warning, and the SSL redirect spares the Step Functions
endpoint (and, through the proxy header, every request the proxy received over https)."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.test import Client, override_settings

from tests.conftest import REPO_ROOT

PLACEHOLDERS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "SYMPHONY_ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
}


def production_environment() -> dict[str, str]:
    """The commented block between `# >>> production` and `# <<< production` in .env.example,
    placeholders (`<...>`) filled with fresh values."""
    text = (REPO_ROOT / ".env.example").read_text()
    block = re.search(r"^# >>> production\n(.*?)^# <<< production$", text, re.S | re.M)
    assert block, ".env.example has no production block"
    values = {}
    for line in block.group(1).splitlines():
        name, _, value = line.removeprefix("# ").partition("=")
        values[name] = PLACEHOLDERS[name]() if value.startswith("<") else value
    return values


# What the test process itself sets (the browser and live-server tests allow sync ORM calls in
# async code): never part of a deployment's environment.
TEST_ONLY = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_is_clean_with_the_documented_production_values(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(production_environment(), SYMPHONY_VAR_DIR=str(tmp_path), SYMPHONY_RUNNER="off")
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_warns_with_the_development_defaults(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(SYMPHONY_VAR_DIR=str(tmp_path), SYMPHONY_RUNNER="off")
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


PRODUCTION_HTTPS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 31536000,
}


@pytest.mark.django_db
@override_settings(**PRODUCTION_HTTPS)
def test_ssl_redirect_sends_plain_http_pages_to_https():
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
@override_settings(**PRODUCTION_HTTPS)
def test_ssl_redirect_trusts_the_proxy_header():
    response = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.django_db
@override_settings(**PRODUCTION_HTTPS)
def test_ssl_redirect_spares_the_step_functions_endpoint():
    # Unsigned, so AWS's 403: what matters is that a signed POST is not bounced to another URL.
    response = Client().post("/aws/states/", data=b"{}", content_type="application/x-amz-json-1.0")
    assert response.status_code == 403
    assert json.loads(response.content)["__type"] == "MissingAuthenticationTokenException"
