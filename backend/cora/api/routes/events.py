"""Live updates (contract 3.8): the user's list and one session, as Server-Sent Events.

Included before the session routes, so that `/sessions/{user_id}/events` is not read as a
session id. The subscription is made before the session is read, so that nothing changed in
between is missed.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, StreamingResponse

from cora.api.deps import (
    EventBusDep,
    SessionIdPath,
    SessionServiceDep,
    SettingsDep,
    UserIdPath,
)
from cora.api.openapi import EVENT_STREAM, SESSION_ERRORS, error_responses, event_stream
from cora.domain import MessageRecord
from cora.events import LiveEvent, payloads
from cora.events.base import sse_frame

HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}

router = APIRouter(prefix="/sessions", tags=["events"], responses=error_responses(*SESSION_ERRORS))

# `POST /sessions/{user_id}/events` would otherwise reach the session routes (422, not a UUID).
method_guards = APIRouter(prefix="/sessions", include_in_schema=False)


@method_guards.api_route("/{user_id}/events", methods=["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def events_method_not_allowed() -> JSONResponse:
    return JSONResponse({"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": "GET"})


LastEventId = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID",
        max_length=128,
        description="The `id:` of the last event received: the missed events follow, or `reset`",
    ),
]


@router.get(
    "/{user_id}/events",
    response_class=StreamingResponse,
    responses=event_stream(
        "Events `session` (a SessionSummary) and `deleted` ({session_id}); `reset` when the"
        " server cannot tell what was missed (read the list again)"
    ),
)
async def list_events(
    user_id: UserIdPath,
    bus: EventBusDep,
    settings: SettingsDep,
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """Changes to the user's list of sessions, from any client, worker or server."""
    subscription = bus.subscribe(user_id=user_id, session_id=None, last_event_id=last_event_id)
    return _response(subscription, [], settings.sse_keepalive_seconds, session_stream=False)


@router.get(
    "/{user_id}/{session_id}/events",
    response_class=StreamingResponse,
    responses=event_stream(
        "Events `message` (a Message, whole), `delta` ({message_id, text}), `session` (its"
        " SessionSummary), `deleted` (then the stream ends); `reset` when the server cannot"
        " tell what was missed (read the session again)"
    ),
)
async def session_events(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    bus: EventBusDep,
    service: SessionServiceDep,
    settings: SettingsDep,
    last_event_id: LastEventId = None,
) -> StreamingResponse:
    """Changes to one session. On connect (without `Last-Event-ID`), a reply being written
    comes first, as stored so far."""
    subscription = bus.subscribe(
        user_id=user_id, session_id=session_id, last_event_id=last_event_id
    )
    start = bus.position()
    try:
        session = await service.get(user_id=user_id, session_id=session_id)
    except BaseException:
        await _close(subscription)
        raise
    first = []
    if last_event_id is None:
        first = [
            _format(payloads.message_changed(user_id, session_id, message), start)
            for message in session.messages
            if _is_streaming(message)
        ]
    return _response(subscription, first, settings.sse_keepalive_seconds, session_stream=True)


def _is_streaming(message: MessageRecord) -> bool:
    return bool(getattr(message, "status", None) == "streaming")  # a reply still being written


def _response(
    subscription: AsyncIterator[LiveEvent],
    first: list[bytes],
    keepalive: float,
    *,
    session_stream: bool,
) -> StreamingResponse:
    return StreamingResponse(
        _stream(subscription, first, keepalive, session_stream=session_stream),
        media_type=EVENT_STREAM,
        headers=HEADERS,
    )


async def _stream(
    subscription: AsyncIterator[LiveEvent],
    first: list[bytes],
    keepalive: float,
    *,
    session_stream: bool,
) -> AsyncIterator[bytes]:
    try:
        yield b": connected\n\n"
        for chunk in first:
            yield chunk
        last_comment = time.monotonic()
        while True:
            wait = max(0.0, last_comment + keepalive - time.monotonic())
            try:
                async with asyncio.timeout(wait):
                    event = await anext(subscription)
            except TimeoutError:
                event = None
            except StopAsyncIteration:
                return
            if event is not None:
                chunk, ended = _batch(event, subscription, session_stream=session_stream)
                yield chunk
                if ended:
                    return
            if time.monotonic() - last_comment >= keepalive:
                yield b": keep-alive\n\n"
                last_comment = time.monotonic()
    finally:
        await _close(subscription)


def _batch(
    event: LiveEvent, subscription: AsyncIterator[LiveEvent], *, session_stream: bool
) -> tuple[bytes, bool]:
    """The event and everything queued behind it, as one write; and whether the stream ends
    (a session stream ends after `deleted`)."""
    drain = getattr(subscription, "drain", None)
    events = [event, *drain()] if drain is not None else [event]
    frames = []
    for queued in events:
        frames.append(sse_frame(queued))
        if session_stream and queued.kind == "deleted":
            return b"".join(frames), True
    return b"".join(frames), False


def _format(event: LiveEvent, event_id: str) -> bytes:
    return sse_frame(LiveEvent(event.kind, event.user_id, event.session_id, event.data, event_id))


async def _close(subscription: AsyncIterator[LiveEvent]) -> None:
    close = getattr(subscription, "aclose", None)
    if close is not None:
        await close()
