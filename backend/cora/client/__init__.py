"""A Python client for Cora's HTTP API: `CoraClient` (blocking) and `AsyncCoraClient` (asyncio).

Both answer with the server's own models (`cora.schemas`) and raise `CoraClientError`s::

    with CoraClient("http://127.0.0.1:8000") as cora:
        cora.login("alice", "a long passphrase")
        session = cora.create_session(cora.user_id)
        print(cora.chat(cora.user_id, session.session_id, "What is a deductible?").reply.text)
"""

from cora.client.aio import AsyncCoraClient
from cora.client.calls import UNSET, Versioned
from cora.client.errors import (
    AssistantFailed,
    BadRequest,
    Conflict,
    CoraClientError,
    CoraConnectionError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    StorageFull,
    TooLarge,
    Unauthorized,
    ValidationFailed,
)
from cora.client.events import (
    LiveUpdate,
    MessageChanged,
    MessageDelta,
    Reset,
    SessionChanged,
    SessionDeleted,
)
from cora.client.retry import RetryPolicy
from cora.client.streaming import ChatPiece, ReplyDelta, ReplyStarted
from cora.client.sync import CoraClient

__all__ = [
    "UNSET",
    "AssistantFailed",
    "AsyncCoraClient",
    "BadRequest",
    "ChatPiece",
    "Conflict",
    "CoraClient",
    "CoraClientError",
    "CoraConnectionError",
    "Forbidden",
    "LiveUpdate",
    "MessageChanged",
    "MessageDelta",
    "NotFound",
    "PreconditionFailed",
    "RateLimited",
    "ReplyDelta",
    "ReplyStarted",
    "Reset",
    "RetryPolicy",
    "ServerError",
    "ServiceUnavailable",
    "SessionChanged",
    "SessionDeleted",
    "StorageFull",
    "TooLarge",
    "Unauthorized",
    "ValidationFailed",
    "Versioned",
]
