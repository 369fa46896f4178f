"""A typed, Qt-free client of the server: requests for calls, a thread for the event stream."""

from counter_app.client.api import ApiClient, new_idempotency_key
from counter_app.client.errors import ApiError, ClientError, ConnectionLost, ServerUnavailable
from counter_app.client.events import ConnectionState, EventListener

__all__ = [
    "ApiClient",
    "ApiError",
    "ClientError",
    "ConnectionLost",
    "ConnectionState",
    "EventListener",
    "ServerUnavailable",
    "new_idempotency_key",
]
