"""Deploying the request-approval function to a target's Lambda on moto's server over HTTP
(CreateFunction needs no Docker; only invoking does): the handler file as the package, a live
token of the target in its environment, the previous token revoked on redeploy."""

import base64
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.permissions import Denied
from executions.approvals import api_tokens, lambda_deploy, lambda_handler
from executions.approvals.lambda_deploy import DeployRefused
from executions.approvals.models import ApprovalToken
from tests.executions.approvals.conftest import make_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def lambda_role(moto) -> str:
    iam = moto.client("iam")
    return iam.create_role(RoleName="approval-fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]


def test_deploy_creates_the_function_with_a_live_token(moto, target, publisher, lambda_role, settings):
    settings.SYMPHONY_BASE_URL = "https://symphony.example.com/"
    deployed = lambda_deploy.deploy(target, publisher, role_arn=lambda_role)
    assert deployed.created
    lam = moto.client("lambda")
    function = lam.get_function(FunctionName="symphony-request-approval")
    config = function["Configuration"]
    assert deployed.function_arn == config["FunctionArn"]
    assert (config["Runtime"], config["Handler"], config["Role"]) == (
        "python3.12",
        "lambda_handler.handler",
        lambda_role,
    )
    variables = config["Environment"]["Variables"]
    assert variables["SYMPHONY_URL"] == "https://symphony.example.com"
    assert variables["SYMPHONY_TARGET"] == "prod"
    token = api_tokens.authenticate(variables["SYMPHONY_APPROVALS_TOKEN"])
    assert token is not None and token.target == target and token.key_id == deployed.token_key_id
    # The package Lambda holds is the handler file alone (its SHA-256, as Lambda reports it).
    assert config["CodeSha256"] == base64.b64encode(hashlib.sha256(lambda_deploy.package()).digest()).decode()
    with zipfile.ZipFile(io.BytesIO(lambda_deploy.package())) as archive:
        assert archive.namelist() == ["lambda_handler.py"]
        assert archive.read("lambda_handler.py") == Path(lambda_handler.__file__).read_bytes()


def test_deploying_again_updates_it_and_revokes_the_old_token(moto, target, publisher, lambda_role):
    first = lambda_deploy.deploy(target, publisher, role_arn=lambda_role)
    kept = api_tokens.issue(target, publisher)[0]  # a token made by hand stays
    second = lambda_deploy.deploy(target, publisher, role_arn=lambda_role)
    assert not second.created and second.function_arn == first.function_arn
    live = set(ApprovalToken.objects.filter(revoked_at__isnull=True).values_list("key_id", flat=True))
    assert live == {second.token_key_id, kept.key_id}
    variables = moto.client("lambda").get_function(FunctionName="symphony-request-approval")["Configuration"][
        "Environment"
    ]["Variables"]
    assert api_tokens.authenticate(variables["SYMPHONY_APPROVALS_TOKEN"]).key_id == second.token_key_id


def test_a_failed_deploy_leaves_no_live_token(publisher, lambda_role):
    target = make_target(publisher, name="down", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(DeployRefused, match=r"127\.0\.0\.1:9"):
        lambda_deploy.deploy(target, publisher, role_arn=lambda_role)
    assert not ApprovalToken.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role_arn": "not-a-role"}, "not an IAM role ARN"),
        ({"role_arn": "arn:aws:iam::123456789012:role/r", "function_name": "bad name!"}, "function name"),
    ],
)
def test_bad_fields_are_refused_before_any_call(target, publisher, fields, message):
    with pytest.raises(DeployRefused, match=message):
        lambda_deploy.deploy(target, publisher, **fields)
    assert not ApprovalToken.objects.exists()


def test_only_publishers_deploy(target, reviewer, lambda_role):
    with pytest.raises(Denied):
        lambda_deploy.deploy(target, reviewer, role_arn=lambda_role)


def test_the_tokens_page_deploys_and_shows_a_refusal(client, moto, target, publisher, lambda_role):
    url = reverse("executions:approval-tokens", args=[target.pk])
    client.force_login(publisher)
    shown = client.post(url, {"deploy": "1", "role_arn": "nope"}, follow=True).content.decode()
    assert "Not deployed" in shown and "not an IAM role ARN" in shown
    shown = client.post(url, {"deploy": "1", "role_arn": lambda_role, "function_name": ""}, follow=True)
    assert (
        "Created arn:aws:lambda:us-east-1:123456789012:function:symphony-request-approval"
        in shown.content.decode()
    )
    assert ApprovalToken.objects.get().description == "Lambda symphony-request-approval"
