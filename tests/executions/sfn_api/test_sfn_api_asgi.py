"""The Step Functions endpoint is served beside Django's handler, without the page middleware
(executions.sfn_api.asgi): same answers, none of the pages' headers."""

import http.client
import json
import urllib.error
import urllib.request


def post(url: str, body: bytes, headers: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def test_sfn_api_asgi_endpoint_skips_page_middleware(live_sfn, sfn):
    status, headers, body = post(
        live_sfn.endpoint,
        b"{}",
        {"X-Amz-Target": "AWSStepFunctions.ListStateMachines", "Content-Type": "application/x-amz-json-1.0"},
    )
    assert status == 403
    assert body["__type"].endswith("MissingAuthenticationTokenException")
    assert "X-Frame-Options" not in headers  # XFrameOptionsMiddleware did not run
    # Both spellings of the path reach it; signed calls work as before.
    status, _, _ = post(
        live_sfn.endpoint.rstrip("/"), b"{}", {"X-Amz-Target": "AWSStepFunctions.ListStateMachines"}
    )
    assert status == 403
    assert "stateMachines" in sfn.list_state_machines()
    # Pages still pass the middleware.
    with urllib.request.urlopen(f"{live_sfn.url}/accounts/login/") as page:
        assert page.headers["X-Frame-Options"] == "DENY"


def test_sfn_api_asgi_a_body_over_the_limit_is_read_then_refused(live_sfn, sfn):
    """Sent whole, with its length or in chunks, a body past the upload limit (4 MiB) gets AWS's
    413 answer, not a reset; the server goes on serving."""
    headers = {"X-Amz-Target": "AWSStepFunctions.ListStateMachines"}
    body = b'{"x": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    status, _, answer = post(live_sfn.endpoint, body, headers)
    assert (status, answer["__type"]) == (413, "RequestEntityTooLargeException")
    connection = http.client.HTTPConnection("127.0.0.1", live_sfn.port, timeout=30)
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    connection.request("POST", "/aws/states/", body=chunks, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())["__type"]) == (413, "RequestEntityTooLargeException")
    connection.close()
    assert "stateMachines" in sfn.list_state_machines()
