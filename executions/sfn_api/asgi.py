"""The Step Functions endpoint served straight from ASGI, beside Django's handler.

Through Django's handler every SDK call crosses the middleware stack built for pages (static
files, sessions, CSRF, messages): under ASGI each sync middleware is a hop to a thread and
back, and the request signals start a thread per request. Measured on DescribeExecution, that
was most of the server's CPU per call. The endpoint needs none of it (SigV4 authenticates it,
it sets no cookie, its database work runs in threads of its own), so the ASGI router sends its
path here: Django's request object, the same view's answer, no middleware.

Bodies are read into memory, not into Django's spooled temporary file (a twentieth of a call's
CPU): an SDK call's body is small. One past the upload limit is read to its end without being
kept, then answered as too large (answered before, a client still sending meets a reset).
"""

import io
import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler

from executions.sfn_api import errors, protocol

# The path the URLconf also serves the endpoint at (symphony/urls.py).
PATH_RE = re.compile(r"^/aws/states/?$")


def serves(scope: dict) -> bool:
    return scope["type"] == "http" and PATH_RE.match(scope["path"]) is not None


class EndpointHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        """No middleware: see the module docstring."""

    async def read_body(self, receive) -> io.BytesIO:
        body = io.BytesIO()
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        too_large = False
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise RequestAborted()
            if not too_large:
                body.write(message.get("body", b""))
                too_large = limit is not None and body.tell() > limit
            if not message.get("more_body", False):
                break
        if too_large:
            raise errors.request_too_large()
        body.seek(0)
        return body

    async def __call__(self, scope: dict, receive, send) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        except errors.ProtocolError as too_large:
            status, body = errors.error_body(too_large)
            await _send(send, status, protocol.encode(body), str(uuid.uuid4()))
            return
        try:
            request, response = self.create_request(scope, body_file)
            if request is None:  # Django's own answer to a request it cannot make
                await self.send_response(response, send)
                return
            await _send(send, *await protocol.answer(request))
        finally:
            body_file.close()


async def _send(send, status: int, body: bytes, request_id: str) -> None:
    """The answer as ASGI messages: what Django's response object and its sending did, a tenth
    of a call's CPU, for three headers."""
    headers = [
        (b"content-type", errors.CONTENT_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"x-amzn-requestid", request_id.encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
