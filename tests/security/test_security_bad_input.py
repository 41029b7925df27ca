"""Bad input answers a 4xx in the documented shape, stores nothing and leaves the server up.

Each probe below was a 500 (or, on PostgreSQL, a DataError 500) before. The Step Functions
endpoint answers AWS's `{"__type", "message"}` (AWS JSON 1.0 protocol, "Common Errors" in the
Step Functions API reference); `/api/` answers `{"code", "message", "errors"}` (designer/api/errors.py).
The database-backed tests run on SQLite by default and on PostgreSQL with
`DATABASE_URL=postgres://...` (PostgreSQL refuses NUL in text and jsonb, SQLite does not); the
live-server ones go through uvicorn and the ASGI endpoint handler with boto3.
"""

import json
import time
import urllib.error
import urllib.request

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.test import Client

from accounts.services import account_id_for
from designer import services as designer_services
from designer.models import Workflow
from executions.models import Execution, StateMachine
from executions.services import access_keys
from tests.executions.conftest import ROLE, client_for, make_server

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
BIG_INTEGER = "9" * 5000
# A Wait whose Seconds has 5,000 digits (Python's int() refuses past 4,300).
BIG_WAIT = '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ' + BIG_INTEGER + ', "End": true}}}'
FIVE_MIB = 5 * 1024 * 1024


def signed(body: bytes, target: str, key: tuple[str, str], url: str) -> dict[str, str]:
    """The headers botocore's SigV4 signer puts on a request, as an SDK sends them."""
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{target}"},
    )
    SigV4Auth(Credentials(*key), "states", "us-east-1").add_auth(request)
    return dict(request.prepare().headers)


@pytest.fixture
def key(author) -> tuple[str, str]:
    created = access_keys.create_access_key(author, "bad input")
    return created.access_key_id, created.secret_access_key


@pytest.fixture
def sfn(key):
    """`sfn("Operation", params or raw bytes)` through Django's stack, signed with a real key."""

    def call(target: str, params: dict | bytes) -> tuple[int, dict]:
        body = params if isinstance(params, bytes) else json.dumps(params).encode()
        headers = signed(body, target, key, "http://testserver/aws/states/")
        meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
        meta["HTTP_HOST"] = "testserver"  # signed; the HTTP client adds it on the wire
        response = Client().generic(
            "POST", "/aws/states/", data=body, content_type="application/x-amz-json-1.0", **meta
        )
        return response.status_code, json.loads(response.content)

    return call


@pytest.fixture
def machine_arn(sfn) -> str:
    status, body = sfn("CreateStateMachine", {"name": "m", "definition": PASS, "roleArn": ROLE})
    assert status == 200, body
    return body["stateMachineArn"]


def assert_aws_error(answer: tuple[int, dict], code: str, status: int = 400) -> None:
    assert answer == (status, {"__type": code, "message": answer[1]["message"]})
    assert answer[1]["message"]


# -- the Step Functions endpoint -------------------------------------------------------------------

# The endpoint does its database work in a thread of its own: the test's data must be committed.
ENDPOINT_DB = pytest.mark.django_db(transaction=True)


@ENDPOINT_DB
def test_endpoint_body_nested_100000_deep_is_a_serialization_error(sfn):
    assert_aws_error(
        sfn("ListStateMachines", b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"), "SerializationException"
    )


@ENDPOINT_DB
def test_endpoint_definition_with_a_5000_digit_integer_is_invalid(sfn):
    answer = sfn("CreateStateMachine", {"name": "big", "definition": BIG_WAIT, "roleArn": ROLE})
    assert_aws_error(answer, "InvalidDefinition")
    assert "Number value length (5000)" in answer[1]["message"]
    assert not StateMachine.objects.exists()


@ENDPOINT_DB
def test_endpoint_body_over_the_limit_is_413(sfn):
    answer = sfn("ListStateMachines", b'{"x": "' + b"a" * FIVE_MIB + b'"}')
    assert_aws_error(answer, "RequestEntityTooLargeException", 413)


@ENDPOINT_DB
def test_endpoint_nul_in_an_arn_is_invalid_arn(sfn, machine_arn):
    assert_aws_error(sfn("DescribeStateMachine", {"stateMachineArn": machine_arn + "\x00"}), "InvalidArn")


@ENDPOINT_DB
def test_endpoint_nul_in_a_tag_is_refused_and_nothing_tagged(sfn, machine_arn):
    answer = sfn("TagResource", {"resourceArn": machine_arn, "tags": [{"key": "team\x00", "value": "a"}]})
    assert_aws_error(answer, "ValidationException")
    assert "tags.0.key" in answer[1]["message"]
    assert StateMachine.objects.get().tags == {}


@ENDPOINT_DB
def test_endpoint_nul_in_a_task_token_is_invalid_token(sfn):
    assert_aws_error(sfn("SendTaskSuccess", {"taskToken": "t\x00", "output": "{}"}), "InvalidToken")
    assert_aws_error(sfn("SendTaskHeartbeat", {"taskToken": "t\x00"}), "InvalidToken")


@ENDPOINT_DB
@pytest.mark.parametrize("offset", [-5, 10**30, "7", 1.5])
def test_endpoint_forged_next_token_is_invalid_token(sfn, machine_arn, offset):
    import base64

    token = base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()
    assert_aws_error(sfn("ListStateMachines", {"nextToken": token}), "InvalidToken")


@ENDPOINT_DB
def test_endpoint_lone_surrogate_in_a_name_is_invalid_name(sfn, machine_arn):
    assert_aws_error(sfn("StartExecution", {"stateMachineArn": machine_arn, "name": "\ud800"}), "InvalidName")
    assert not Execution.objects.exists()


@ENDPOINT_DB
def test_endpoint_lone_surrogate_in_a_description_is_refused_and_nothing_stored(sfn):
    params = {"name": "s", "definition": PASS, "roleArn": ROLE, "description": "\ud800"}
    assert_aws_error(sfn("CreateStateMachine", params), "ValidationException")
    assert not StateMachine.objects.exists()


@ENDPOINT_DB
def test_endpoint_lone_surrogate_in_a_definition_is_refused(sfn):
    definition = json.dumps({"Comment": "\ud800", **json.loads(PASS)}, ensure_ascii=False)
    assert_aws_error(
        sfn("CreateStateMachine", {"name": "s", "definition": definition, "roleArn": ROLE}),
        "ValidationException",
    )
    assert not StateMachine.objects.exists()


@ENDPOINT_DB
def test_endpoint_lone_surrogate_escaped_in_an_input_is_invalid_input(sfn, machine_arn):
    answer = sfn("StartExecution", {"stateMachineArn": machine_arn, "input": '{"a": "\\ud800"}'})
    assert_aws_error(answer, "InvalidExecutionInput")
    assert not Execution.objects.exists()


@ENDPOINT_DB
def test_endpoint_lone_surrogate_in_a_task_token_is_invalid_token(sfn):
    assert_aws_error(sfn("SendTaskSuccess", {"taskToken": "\udc00", "output": "{}"}), "InvalidToken")


@ENDPOINT_DB
def test_endpoint_input_nested_100000_deep_is_invalid_input(sfn, machine_arn):
    deep = "[" * 100_000 + "]" * 100_000
    assert_aws_error(
        sfn("StartExecution", {"stateMachineArn": machine_arn, "input": deep}), "InvalidExecutionInput"
    )
    assert not Execution.objects.exists()


@ENDPOINT_DB
def test_endpoint_validate_with_an_unknown_type_is_a_validation_error(sfn):
    answer = sfn("ValidateStateMachineDefinition", {"definition": PASS, "type": "BATCH"})
    assert_aws_error(answer, "ValidationException")
    assert "[STANDARD, EXPRESS]" in answer[1]["message"]


@ENDPOINT_DB
def test_endpoint_alias_routing_entry_that_is_no_object_is_a_validation_error(sfn, machine_arn):
    answer = sfn("CreateStateMachineAlias", {"name": "live", "routingConfiguration": [None]})
    assert_aws_error(answer, "ValidationException")


# -- the endpoint served by uvicorn (the ASGI handler without middleware), with boto3 --------------


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = make_server(tmp_path_factory.mktemp("security-live"))
    server.start()
    yield server
    server.stop()


def raw_post(live, body: bytes, target: str = "ListStateMachines") -> tuple[int, dict]:
    headers = signed(body, target, ("test", "test"), live.endpoint)
    request = urllib.request.Request(live.endpoint, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_live_endpoint_refuses_a_5_mib_body_and_stays_up(live):
    status, body = raw_post(live, b'{"x": "' + b"a" * FIVE_MIB + b'"}')
    assert (status, body["__type"]) == (413, "RequestEntityTooLargeException")
    status, body = raw_post(live, b"[" * 100_000 + b"]" * 100_000)
    assert (status, body["__type"]) == (400, "SerializationException")
    assert "stateMachines" in client_for(live.endpoint).list_state_machines()
    assert live.proc.poll() is None


def run_to_end(sfn_client, arn: str, timeout: float = 30) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        described = sfn_client.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.2)
    raise AssertionError(f"{arn} still running")


def distributed_map(**fields) -> str:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}},
    }
    state = {"Type": "Map", "ItemsPath": "$.Items", "ItemProcessor": processor, "End": True, **fields}
    return json.dumps({"StartAt": "M", "States": {"M": state}})


# AWS records States.Runtime for a tolerance it cannot use (../shared/conformance/cases/scenarios_map/
# test_map_state_tolerated_failure_percentage_path--1 and ..._count_path-tolerated_failure_count_va...);
# the negative count's cause is LocalStack's, taken from AWS. Before, the runner wrote the map run
# with a negative count and the database refused it (IntegrityError).
@pytest.mark.parametrize(
    ("fields", "execution_input", "cause"),
    [
        ({"ToleratedFailureCountPath": "$.c"}, {"c": -1}, "ToleratedFailureCount cannot be negative."),
        (
            {"MaxConcurrencyPath": "$.c"},
            {"c": -3},
            "Expected non-negative integer for MaxConcurrency, got '-3' instead.",
        ),
        (
            {"ToleratedFailureCountPath": "$.c"},
            {"c": 10**20},
            f'The ToleratedFailureCountPath field refers to value "{10**20}" which is not a valid integer: '
            "$.c",
        ),
    ],
)
def test_live_map_tolerance_out_of_range_fails_with_states_runtime(live, fields, execution_input, cause):
    client = client_for(live.endpoint)
    name = f"tolerance-{abs(hash(cause)) % 10**8}"
    arn = client.create_state_machine(name=name, definition=distributed_map(**fields), roleArn=ROLE)[
        "stateMachineArn"
    ]
    execution = client.start_execution(
        stateMachineArn=arn, input=json.dumps({"Items": [1], **execution_input})
    )
    described = run_to_end(client, execution["executionArn"])
    assert described["status"] == "FAILED"
    assert described["error"] == "States.Runtime"
    assert (
        described["cause"]
        == f"An error occurred while executing the state 'M' (entered at the event id #2). {cause}"
    )


# -- the REST API ----------------------------------------------------------------------------------


def assert_api_error(response, status: int, code: str) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code
    assert body["message"] and isinstance(body["errors"], list)
    return body


@pytest.fixture
def workflow(author) -> Workflow:
    return designer_services.create_workflow(author, name="orders")


def raw_json(api, method: str, url: str, body: bytes | str, **headers):
    return getattr(api, method)(url, data=body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_api_body_nested_100000_deep_is_malformed(api):
    response = raw_json(api, "post", "/api/workflows/", b"[" * 100_000 + b"]" * 100_000)
    assert_api_error(response, 400, "MALFORMED_REQUEST")
    assert not Workflow.objects.exists()


@pytest.mark.django_db
def test_api_definition_with_a_5000_digit_integer_is_invalid(api):
    response = api.post("/api/workflows/", {"name": "big", "definition": BIG_WAIT}, format="json")
    body = assert_api_error(response, 400, "INVALID_JSON_DESCRIPTION")
    assert body["errors"][0]["field"] == "definition"
    assert not Workflow.objects.exists()


@pytest.mark.django_db
def test_api_if_match_with_5000_digits_is_refused(api, workflow):
    response = api.put(
        f"/api/workflows/{workflow.pk}/draft/",
        {"definition": PASS},
        format="json",
        HTTP_IF_MATCH=f'"{BIG_INTEGER}"',
    )
    body = assert_api_error(response, 400, "INVALID_REQUEST")
    assert body["errors"][0]["field"] == "If-Match"
    workflow.draft.refresh_from_db()
    assert workflow.draft.revision == 1


@pytest.mark.django_db
def test_api_layout_nested_50000_deep_is_refused(api, workflow):
    layout = '{"a":' * 50_000 + "{}" + "}" * 50_000
    response = raw_json(
        api, "put", f"/api/workflows/{workflow.pk}/draft/", f'{{"revision": 1, "layout": {layout}}}'
    )
    assert_api_error(response, 400, "MALFORMED_REQUEST")
    workflow.draft.refresh_from_db()
    assert (workflow.draft.revision, workflow.draft.layout) == (1, {})


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "code"), [("\x00", "INVALID_LAYOUT"), ("\ud800", "MALFORMED_REQUEST")])
def test_api_layout_with_unstorable_text_is_refused(api, workflow, text, code):
    body = json.dumps({"revision": 1, "layout": {"boxes": {"A": text}}})  # escaped, as a browser sends it
    response = raw_json(api, "put", f"/api/workflows/{workflow.pk}/draft/", body)
    body = assert_api_error(response, 400, code)
    assert "layout" in (body["errors"][0]["field"] if body["errors"] else body["message"])
    workflow.draft.refresh_from_db()
    assert workflow.draft.revision == 1


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["type", "visibility"])
def test_api_lone_surrogate_in_a_choice_is_malformed(api, field):
    # DRF echoes a bad choice in its message and its renderer writes UTF-8: a 500 before.
    response = raw_json(api, "post", "/api/workflows/", json.dumps({"name": "s", field: "a\ud800"}))
    body = assert_api_error(response, 400, "MALFORMED_REQUEST")
    assert f"'{field}'" in body["message"]
    assert not Workflow.objects.exists()


@pytest.mark.django_db
def test_api_nul_in_a_tag_key_is_refused(api, workflow):
    response = api.patch(f"/api/workflows/{workflow.pk}/", {"tags": {"team\x00": "a"}}, format="json")
    assert_api_error(response, 400, "INVALID_TAGS")
    workflow.refresh_from_db()
    assert workflow.tags == {}


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["²", BIG_INTEGER])
def test_api_export_version_that_is_no_number_is_refused(api, workflow, number):
    response = api.get(f"/api/workflows/{workflow.pk}/export/", {"version": number})
    assert_api_error(response, 400, "INVALID_REQUEST")


@pytest.mark.django_db
def test_api_version_number_with_5000_digits_is_not_found(api, workflow):
    assert_api_error(api.get(f"/api/workflows/{workflow.pk}/versions/{BIG_INTEGER}/"), 404, "NOT_FOUND")


@pytest.mark.django_db
def test_functions_api_answers_anonymous_401_in_the_api_shape():
    response = Client().get("/api/functions/")
    assert_api_error(response, 401, "NOT_AUTHENTICATED")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_functions_api_nul_in_a_name_is_not_found_in_the_api_shape(api):
    assert_api_error(api.get("/api/functions/double%00/"), 404, "NOT_FOUND")


# -- pages -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_workflow_list_search_with_nul_is_a_page(client, author, workflow):
    client.force_login(author)
    assert client.get("/workflows/", {"q": "ord\x00ers"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"map_run": "²"}, {"map_run": BIG_INTEGER}, {"state_machine": "m\x00"}])
def test_execution_list_with_bad_filters_is_a_page(client, author, query):
    client.force_login(author)
    assert client.get("/executions/", query).status_code == 200


@pytest.mark.django_db
def test_access_key_page_description_with_nul_is_stored_without_it(client, author):
    client.force_login(author)
    page = client.post("/executions/settings/access-keys/", {"description": "ci\x00 runner"})
    assert page.status_code == 200
    assert author.access_keys.get().description == "ci runner"


@pytest.mark.django_db
def test_approval_page_rejection_with_nul_in_the_reason_is_refused(client, make_user):
    from django.contrib.auth.models import Permission

    from executions.effects import register_token
    from executions.models import TaskToken, TaskTokenStatus
    from executions.services import executions, machines

    reviewer = make_user("rita")
    reviewer.user_permissions.add(Permission.objects.get(codename="decide_approval"))
    account = account_id_for(reviewer)
    machine, _ = machines.create_state_machine(
        region="us-east-1", account=account, name="a", definition=PASS, role_arn=ROLE
    )
    execution, _ = executions.start_execution(
        machine.arn, account, name="e1", input="{}", owner_id=reviewer.pk
    )
    register_token(execution.pk, "tok-1", "Approve", None, "")
    task = TaskToken.objects.get(token="tok-1")
    client.force_login(reviewer)
    page = client.post(
        f"/executions/tasks/{task.pk}/", {"decision": "reject", "comment": "no\x00pe"}, follow=True
    )
    assert page.status_code == 200
    assert "The cause contains a NUL character" in page.content.decode()
    task.refresh_from_db()
    assert task.status == TaskTokenStatus.PENDING


# -- the WebSocket ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("after", ["²", BIG_INTEGER])
async def test_websocket_after_that_is_no_event_id_streams_from_the_start(author, after):
    from asgiref.sync import sync_to_async
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from executions.services import executions, machines
    from symphony.routing import websocket_urlpatterns

    @sync_to_async
    def start():
        account = account_id_for(author)
        machine, _ = machines.create_state_machine(
            region="us-east-1", account=account, name="ws", definition=PASS, role_arn=ROLE
        )
        return executions.start_execution(machine.arn, account, name="e1", input="{}", owner_id=author.pk)[0]

    execution = await start()
    socket = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/executions/{execution.pk}/?after={after}"
    )
    socket.scope["user"] = author
    connected, _ = await socket.connect(timeout=10)
    assert connected
    first = await socket.receive_json_from(timeout=10)
    await socket.disconnect()
    assert first == {"type": "status", "status": "RUNNING", "last_event_id": 0}


@pytest.mark.django_db
def test_api_yaml_definition_with_a_5000_digit_integer_is_invalid(api):
    text = f"StartAt: W\nStates:\n  W:\n    Type: Wait\n    Seconds: {BIG_INTEGER}\n    End: true\n"
    response = api.post(
        "/api/workflows/import/", {"name": "big", "definition": text, "format": "yaml"}, format="json"
    )
    body = assert_api_error(response, 400, "INVALID_JSON_DESCRIPTION")
    assert "Number value length (5000)" in body["message"]
    assert not Workflow.objects.exists()
