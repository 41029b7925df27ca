"""The HTTP Task (`arn:aws:states:::http:invoke`): a real HTTP call, answered as AWS answers.

Parameters: ApiEndpoint, Method, Headers, QueryParameters, RequestBody (JSON, or
URL-encoded when Transform.RequestBodyEncoding is URL_ENCODED). The result is
`{"Headers", "ResponseBody", "StatusCode", "StatusText"}`; a status outside 2xx fails the task
with `States.Http.StatusCode.<code>`. Runs in a thread: the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus
from typing import Any

from executions.engine.effects import Effects
from executions.engine.tasks import TaskError, TaskRequest, TaskTimeout
from executions.integrations.adapter import no_local_implementation

DEFAULT_TIMEOUT = 60.0


def build_request(params: dict[str, Any]) -> urllib.request.Request:
    """The request the HTTP Task sends for `params` (TestState shows it at TRACE)."""
    endpoint = params.get("ApiEndpoint")
    method = params.get("Method")
    if not isinstance(endpoint, str) or not isinstance(method, str):
        raise TaskError("States.Runtime", "The HTTP Task needs ApiEndpoint and Method strings.")
    query = params.get("QueryParameters")
    if query:
        endpoint += ("&" if "?" in endpoint else "?") + urllib.parse.urlencode(query, doseq=True)
    headers = {str(k): str(v) for k, v in (params.get("Headers") or {}).items()}
    body = params.get("RequestBody")
    data = None
    if body is not None:
        encoding = (params.get("Transform") or {}).get("RequestBodyEncoding", "NONE")
        if encoding == "URL_ENCODED" and isinstance(body, dict):
            data = urllib.parse.urlencode(body, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        else:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            headers.setdefault("Content-Type", "application/json")
    return urllib.request.Request(endpoint, data=data, headers=headers, method=method.upper())


def _answer(status: int, headers: Any, raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8", "replace")
    try:
        body: Any = json.loads(text)
    except ValueError:
        body = text
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return {
        "Headers": {k: [v] for k, v in headers.items()},
        "ResponseBody": body,
        "StatusCode": status,
        "StatusText": reason,
    }


class HttpEndpoints:
    """The HTTP Task's adapter."""

    async def invoke(self, request: TaskRequest, effects: Effects) -> Any:
        if request.target.action != "invoke":
            raise no_local_implementation(request.target)
        with effects.clock.working():
            return await send(request.input, request.timeout_seconds)


async def send(params: Any, timeout: float | None) -> dict[str, Any]:
    """Send the HTTP Task's request (in a thread); AWS's answer, or the task's error."""
    if not isinstance(params, dict):
        raise TaskError("States.Runtime", "The HTTP Task parameters must be an object.")
    try:
        request = build_request(params)
    except ValueError as exc:  # not a URL urllib can call
        raise TaskError("States.Runtime", f"The ApiEndpoint is not a valid URL: {exc}") from None
    limit = timeout or DEFAULT_TIMEOUT

    def call() -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=limit) as response:
                return _answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            return _answer(exc.code, exc.headers, exc.read())
        except (urllib.error.URLError, OSError) as exc:
            raise TaskError("States.Http.Socket", f"The HTTP request failed: {exc}") from None

    try:
        answer = await asyncio.wait_for(asyncio.to_thread(call), limit)
    except TimeoutError:
        raise TaskTimeout() from None
    status = answer["StatusCode"]
    if not 200 <= status < 300:
        raise TaskError(f"States.Http.StatusCode.{status}", json.dumps(answer, separators=(",", ":")))
    return answer
