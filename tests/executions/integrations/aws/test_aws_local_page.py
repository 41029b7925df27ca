"""The Local AWS page against a real moto server: lists what the account has, creates and seeds
tables, queues, topics, buckets and secrets; bad input is a message on the page, never a 500."""

import io

import pytest
from django.urls import reverse

from designer.roles import AUTHORS

pytestmark = pytest.mark.django_db

URL = "/executions/local-aws/"


@pytest.fixture
def author(make_user, client):
    user = make_user("ana", AUTHORS)
    client.force_login(user)
    return user


def post(client, **fields):
    return client.post(reverse("executions:local-aws"), fields, follow=True).content.decode()


def test_create_and_seed_then_list(moto, boto, author, client):
    assert post(client, action="create-table", name="orders", key="id")
    page = post(client, action="put-item", table="orders", item='{"id": "o1", "total": 19.5, "paid": true}')
    assert "Done: put item orders" in page
    item = boto("dynamodb").get_item(TableName="orders", Key={"id": {"S": "o1"}})["Item"]
    assert item == {"id": {"S": "o1"}, "total": {"N": "19.5"}, "paid": {"BOOL": True}}
    post(client, action="create-queue", name="jobs")
    post(client, action="create-topic", name="alerts")
    post(client, action="create-bucket", name="inputs")
    post(client, action="create-secret", name="api-key", value="s3cr3t")
    upload = io.BytesIO(b"id,n\na,1\n")
    upload.name = "rows.csv"
    page = client.post(
        reverse("executions:local-aws"), {"action": "upload", "bucket": "inputs", "file": upload}, follow=True
    ).content.decode()
    assert "Uploaded s3://inputs/rows.csv" in page
    assert boto("s3").get_object(Bucket="inputs", Key="rows.csv")["Body"].read() == b"id,n\na,1\n"

    page = client.get(URL).content.decode()
    assert moto in page  # where the calls go
    for shown in ("orders", "&quot;o1&quot;", "/jobs", "alerts", "inputs", "rows.csv", "api-key"):
        assert shown in page, shown
    assert "s3cr3t" not in page


def test_bad_input_is_a_message_not_a_500(moto, author, client):
    page = post(client, action="put-item", table="missing", item="{not json")
    assert "The item is not JSON" in page
    page = post(client, action="put-item", table="missing", item='{"id": "a"}')
    assert "ResourceNotFoundException" in page
    assert "Fill in name, key" in post(client, action="create-table", name="t")
    assert "Unknown action" in post(client, action="drop-everything")


def test_the_page_says_when_the_endpoint_does_not_answer(monkeypatch, author, client):
    from tests.executions.conftest import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    response = client.get(URL)
    assert response.status_code == 200
    assert "The AWS endpoint did not answer" in response.content.decode()


def test_viewers_may_look_but_not_create(moto, make_user, client):
    client.force_login(make_user("vic", "viewers"))
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"action": "create-queue", "name": "q"}).status_code == 403
