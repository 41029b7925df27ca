"""WebSocket routes of the runner app."""

from django.urls import path

from executions.consumers import ApprovalInboxConsumer, ExecutionEventsConsumer, ExecutionStatusConsumer

websocket_urlpatterns = [
    path("ws/executions/", ExecutionStatusConsumer.as_asgi()),
    path("ws/executions/<int:execution_id>/", ExecutionEventsConsumer.as_asgi()),
    path("ws/approvals/", ApprovalInboxConsumer.as_asgi()),
]
