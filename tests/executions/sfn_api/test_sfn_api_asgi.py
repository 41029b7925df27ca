"""The Step Functions endpoint is served beside Django's handler, without the page middleware
(executions.sfn_api.asgi): same answers, none of the pages' headers."""

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
