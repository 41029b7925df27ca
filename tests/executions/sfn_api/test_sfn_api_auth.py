"""SigV4 on the Step Functions endpoint, with real boto3 clients against a live server."""

import json
import urllib.error
import urllib.request

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from django.db import connection
from django.test import RequestFactory, override_settings

from executions.sfn_api import auth, errors
from tests.executions.conftest import client_for


def raw_call(
    endpoint: str, target: str, body: bytes, *, sign_with: tuple[str, str] | None = ("test", "test")
):
    """POST a hand-built request (signed by botocore's signer, as an SDK would)."""
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{target}"}
    request = AWSRequest(method="POST", url=endpoint, data=body, headers=headers)
    if sign_with:
        SigV4Auth(Credentials(*sign_with), "states", "us-east-1").add_auth(request)
    prepared = request.prepare()
    http = urllib.request.Request(endpoint, data=body, headers=dict(prepared.headers), method="POST")
    try:
        with urllib.request.urlopen(http, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_sfn_api_test_key_works_in_debug(sfn):
    assert "stateMachines" in sfn.list_state_machines()


def test_sfn_api_unsigned_request_is_403(live_sfn):
    status, body = raw_call(live_sfn.endpoint, "ListStateMachines", b"{}", sign_with=None)
    assert status == 403
    assert body == {
        "__type": "MissingAuthenticationTokenException",
        "message": "Missing Authentication Token",
    }


def test_sfn_api_wrong_secret_is_invalid_signature(live_sfn):
    client = client_for(live_sfn.endpoint, "test", "not-the-secret")
    with pytest.raises(ClientError) as caught:
        client.list_state_machines()
    assert caught.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_sfn_api_unknown_key_is_unrecognized(live_sfn):
    client = client_for(live_sfn.endpoint, "AKSYNOSUCHKEY0000000", "whatever")
    with pytest.raises(ClientError) as caught:
        client.list_state_machines()
    assert caught.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_sfn_api_tampered_body_fails_signature(live_sfn):
    body = b'{"maxResults": 5}'
    request = AWSRequest(
        method="POST",
        url=live_sfn.endpoint,
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AWSStepFunctions.ListStateMachines",
        },
    )
    SigV4Auth(Credentials("test", "test"), "states", "us-east-1").add_auth(request)
    headers = dict(request.prepare().headers)
    http = urllib.request.Request(
        live_sfn.endpoint, data=b'{"maxResults": 6}', headers=headers, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(http, timeout=30)
    assert caught.value.code == 403
    assert json.loads(caught.value.read())["__type"] == "InvalidSignatureException"


def test_sfn_api_user_key_works_until_revoked(live_sfn):
    key_id, secret = live_sfn.create_access_key("ana")
    client = client_for(live_sfn.endpoint, key_id, secret)
    assert client.list_activities()["activities"] is not None
    used = (
        "from executions.models import AccessKey; "
        f"print(AccessKey.objects.get(access_key_id={key_id!r}).last_used_at)"
    )
    assert live_sfn.manage("shell", "-c", used).strip().splitlines()[-1] != "None"
    live_sfn.revoke_access_key("ana", key_id)
    with pytest.raises(ClientError) as caught:
        client.list_activities()
    assert caught.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_sfn_api_malformed_json_is_serialization_error(live_sfn):
    status, body = raw_call(live_sfn.endpoint, "ListStateMachines", b"{not json")
    assert status == 400
    assert body["__type"] == "SerializationException"
    assert body["message"]


def test_sfn_api_unknown_operation(live_sfn):
    status, body = raw_call(live_sfn.endpoint, "MakeCoffee", b"{}")
    assert status == 400
    assert body["__type"] == "UnknownOperationException"


def _signed_django_request(key: str, secret: str):
    body = b"{}"
    aws = AWSRequest(
        method="POST",
        url="http://testserver/aws/states/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AWSStepFunctions.ListActivities",
        },
    )
    SigV4Auth(Credentials(key, secret), "states", "eu-west-1").add_auth(aws)
    meta = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in aws.headers.items()
        if k.lower() != "content-type"
    }
    meta["HTTP_HOST"] = "testserver"
    return RequestFactory().post("/aws/states/", data=body, content_type="application/x-amz-json-1.0", **meta)


@pytest.mark.django_db
def test_sfn_api_test_key_refused_without_debug():
    request = _signed_django_request("test", "test")
    refused = [{"DEBUG": False}, {"DEBUG": True, "REDIS_URL": "redis://127.0.0.1:6379/0"}]
    if connection.vendor == "sqlite":  # the embedded default, where DEBUG opens it
        with override_settings(DEBUG=True):
            identity = auth.authenticate(request)
        assert identity.region == "eu-west-1"
        assert identity.user_id is None
    else:  # the suite on PostgreSQL: never
        refused.append({"DEBUG": True})
    for changes in refused:
        with override_settings(**changes), pytest.raises(errors.ProtocolError) as caught:
            auth.authenticate(request)
        assert caught.value.code == "UnrecognizedClientException"
        assert caught.value.status == 403
