"""A request's body must arrive within ``SYMPHONY_BODY_SECONDS`` of its headers.

uvicorn times out nothing between a request's headers and the end of its body, nor do Django's
handler or the Step Functions endpoint: a client announcing a body it never sends (or trickles)
held its connection and a task open for ever, and enough of them exhaust the process's file
descriptors. Past the deadline the client gets 408 and its connection is closed; the app reads
a disconnect and stops. Once the body is in, nothing is timed: a long poll, a slow page or a
listener for the client's disconnect waits as long as it needs.
"""

import asyncio

TIMEOUT_BODY = b"The request body did not arrive in time.\n"


class BodyDeadline:
    def __init__(self, app, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: dict, receive, send) -> None:
        deadline = asyncio.get_running_loop().time() + self.seconds
        body_in = answered = started = False

        async def timed_receive() -> dict:
            nonlocal body_in, answered
            if body_in:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                body_in = True
                if not started:
                    answered = True
                    await _timed_out(send)
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_in = True
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if answered:  # the 408 went instead
                return
            started = True
            await send(message)

        await self.app(scope, timed_receive, tracked_send)


async def _timed_out(send) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(TIMEOUT_BODY)).encode()),
        # What remains of the body would be read as the next request.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 408, "headers": headers})
    await send({"type": "http.response.body", "body": TIMEOUT_BODY})
