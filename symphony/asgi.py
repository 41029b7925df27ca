"""ASGI entry point: HTTP through Django, WebSocket through Channels, one process."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symphony.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from executions.sfn_api import asgi as sfn_asgi  # noqa: E402
from symphony.body_deadline import BodyDeadline  # noqa: E402
from symphony.routing import websocket_urlpatterns  # noqa: E402

sfn_app = sfn_asgi.EndpointHandler()


async def http(scope, receive, send) -> None:
    """The Step Functions endpoint skips the page middleware (see executions.sfn_api.asgi)."""
    app = sfn_app if sfn_asgi.serves(scope) else django_asgi_app
    await app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": BodyDeadline(http, settings.SYMPHONY_BODY_SECONDS),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# The embedded runner starts with the app: executions left RUNNING by a previous process resume.
from executions.runner import start_embedded  # noqa: E402

start_embedded()

# Gradual rollouts in flight when the app stopped go on from their rows.
from designer.deploy.rollouts import start_embedded as start_rollouts  # noqa: E402

start_rollouts()

# Approval requests past their deadline escalate or expire; approvals webhooks are sent.
from executions.approvals.clock import start_embedded as start_approvals  # noqa: E402

start_approvals()

# What is loaded by now lives as long as the process: the collector's full passes need not walk
# it again. They did, holding the GIL 60-110 ms each, and timers due meanwhile fired that late
# (tests/bench/bench_timers.py).
gc.freeze()
