"""Serve the ASGI app (HTTP and WebSocket, one process) with uvicorn:
``python -m symphony.serve --host 127.0.0.1 --port 8000``. Every way Symphony is started (make
run, the Procfile, the systemd units, the tests) goes through here, so they serve alike.

uvicorn (httptools, uvloop) rather than daphne: under tests/bench/bench_runner.py's load,
daphne's Twisted HTTP layer, which parses every request's Content-Type with the email package,
was a quarter of a web process's CPU.
"""

import argparse
import os
import signal
import sys

import uvicorn


def _exit(signum: int, frame: object) -> None:
    sys.exit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m symphony.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", "-b", default="127.0.0.1")
    parser.add_argument("--port", "-p", type=int, default=8000)
    args = parser.parse_args(argv)
    # uvicorn stops gracefully on SIGTERM and then raises it again for the handler it found.
    # The default one would end the process without its exit handlers: the embedded runner's
    # release of its leases (another process resumes those executions at once) would not run.
    signal.signal(signal.SIGTERM, _exit)
    uvicorn.run(
        "symphony.asgi:application",
        host=args.host,
        port=args.port,
        # Channels' router speaks no lifespan: the app starts its loops as it is imported.
        lifespan="off",
        # The client is the connection's peer: an X-Forwarded-For a client wrote is not believed
        # (a TLS proxy's scheme is trusted by SECURE_PROXY_SSL_HEADER, docs/security-operator.md).
        proxy_headers=False,
        server_header=False,
        # One frame sent to N watchers would be compressed N times.
        ws_per_message_deflate=False,
        # Longer than the idle timeouts of load balancers and SDK connection pools, so a pooled
        # connection is not closed under a request.
        timeout_keep_alive=65,
        # A stop waits this long for requests in flight (a long poll ends its wait sooner).
        timeout_graceful_shutdown=10,
        log_level=os.environ.get("LOG_LEVEL", "INFO").lower(),
    )


if __name__ == "__main__":
    main()
