"""WebSocket routes of every app, gathered in one list for the ASGI router."""

from designer.routing import websocket_urlpatterns as designer_websockets
from executions.routing import websocket_urlpatterns as executions_websockets

websocket_urlpatterns: list = [*executions_websockets, *designer_websockets]
