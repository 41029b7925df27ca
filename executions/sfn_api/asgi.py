"""The Step Functions endpoint served straight from ASGI, beside Django's handler.

Through Django's handler every SDK call crosses the middleware stack built for pages (static
files, sessions, CSRF, messages): under ASGI each sync middleware is a hop to a thread and
back, and the request signals start a thread per request. Measured on DescribeExecution, that
was most of the server's CPU per call. The endpoint needs none of it (SigV4 authenticates it,
it sets no cookie, its database work runs in threads of its own), so the ASGI router sends its
path here: Django's request and response objects, the same view, no middleware.
"""

import re

from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler

from executions.sfn_api.protocol import endpoint

# The path the URLconf also serves the endpoint at (symphony/urls.py).
PATH_RE = re.compile(r"^/aws/states/?$")


def serves(scope: dict) -> bool:
    return scope["type"] == "http" and PATH_RE.match(scope["path"]) is not None


class EndpointHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        """No middleware: see the module docstring."""

    async def __call__(self, scope: dict, receive, send) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            request, response = self.create_request(scope, body_file)
            if request is not None:
                response = await endpoint(request)
            await self.send_response(response, send)
        finally:
            body_file.close()
