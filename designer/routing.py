"""WebSocket routes of the designer app."""

from django.urls import path

from designer.deploy.consumers import RolloutsConsumer

websocket_urlpatterns = [
    path("ws/workflows/<int:workflow_id>/rollouts/", RolloutsConsumer.as_asgi()),
]
