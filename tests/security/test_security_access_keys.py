"""Access keys: made for scripts by `manage.py create_access_key`, kept encrypted at rest (a
database dump does not reveal them), and only ever signing the operation they name."""

import json
from io import StringIO

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django.utils import timezone

from executions.models import AccessKey
from executions.services import access_keys
from symphony import crypto
from tests.security.test_security_bad_input import ENDPOINT_DB, signed


def call_endpoint(body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    meta["HTTP_HOST"] = "testserver"
    response = Client().generic(
        "POST", "/aws/states/", data=body, content_type="application/x-amz-json-1.0", **meta
    )
    return response.status_code, json.loads(response.content)


@ENDPOINT_DB
def test_create_access_key_prints_a_key_that_signs(author):
    out = StringIO()
    call_command("create_access_key", author.username, "--description", "ci", stdout=out)
    printed = json.loads(out.getvalue())
    assert set(printed) == {"AccessKeyId", "SecretAccessKey"}
    assert AccessKey.objects.get(access_key_id=printed["AccessKeyId"]).description == "ci"
    key = (printed["AccessKeyId"], printed["SecretAccessKey"])
    status, body = call_endpoint(b"{}", signed(b"{}", "ListActivities", key, "http://testserver/aws/states/"))
    assert (status, body) == (200, {"activities": []})


@pytest.mark.django_db
def test_create_access_key_for_an_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_access_key", "nobody", stdout=StringIO())
    assert not AccessKey.objects.exists()


@pytest.mark.django_db
def test_the_secret_is_not_in_the_database(author):
    created = access_keys.create_access_key(author)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM executions_accesskey")
        row = " ".join(str(column) for column in cursor.fetchone())
    assert created.secret_access_key not in row
    assert access_keys.secret_for_signature(created.key) == created.secret_access_key
    # Another installation's key (a stolen dump restored elsewhere) opens nothing.
    with (
        override_settings(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(crypto.InvalidToken),
    ):
        access_keys.secret_for_signature(created.key)


@pytest.mark.django_db
def test_a_key_rotation_reencrypts_every_secret(author):
    created = access_keys.create_access_key(author)
    old_keys = list(crypto.settings.ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    with override_settings(ENCRYPTION_KEYS=[new_key, *old_keys]):
        out = StringIO()
        call_command("reencrypt_secrets", stdout=out)
        assert out.getvalue().strip() == "Re-encrypted 1 access key secret(s)."
    created.key.refresh_from_db()
    with override_settings(ENCRYPTION_KEYS=[new_key]):  # the old key dropped
        assert access_keys.secret_for_signature(created.key) == created.secret_access_key
    with override_settings(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]), pytest.raises(CommandError):
        call_command("reencrypt_secrets", stdout=StringIO())


@ENDPOINT_DB
def test_an_unsigned_x_amz_target_is_an_incomplete_signature(author):
    # A valid signature over host and date only; the operation rides beside it, unsigned, so
    # anyone on the path could change it. SigV4 requires every x-amz-* header to be signed.
    created = access_keys.create_access_key(author)
    request = AWSRequest(method="POST", url="http://testserver/aws/states/", data=b"{}", headers={})
    SigV4Auth(Credentials(created.access_key_id, created.secret_access_key), "states", "us-east-1").add_auth(
        request
    )
    assert "x-amz-target" not in request.headers["Authorization"]
    headers = {**dict(request.headers), "X-Amz-Target": "AWSStepFunctions.ListActivities"}
    status, body = call_endpoint(b"{}", headers)
    assert (status, body["__type"]) == (403, "IncompleteSignatureException")
    assert "X-Amz-Target" in body["message"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_secrets(author):
    executor = MigrationExecutor(connection)
    executor.migrate([("executions", "0004_decide_approval_permission")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO executions_accesskey"
            " (user_id, access_key_id, secret_access_key, description, created_at)"
            " VALUES (%s, 'AKSYBEFORE', 'a-secret-from-before', '', %s)",
            [author.pk, timezone.now()],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("executions"))
    key = AccessKey.objects.get(access_key_id="AKSYBEFORE")
    assert "a-secret-from-before" not in key.encrypted_secret_access_key
    assert access_keys.secret_for_signature(key) == "a-secret-from-before"


@pytest.mark.django_db
def test_a_new_key_never_shows_its_secret_in_a_repr(author):
    created = access_keys.create_access_key(author)
    assert created.secret_access_key not in repr(created)
    assert created.secret_access_key not in repr(created.key) + str(created.key)
