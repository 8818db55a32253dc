"""Chat with Cora (contract 3.5): JSON, or Server-Sent Events with `Accept: text/event-stream`."""

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request, status
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event

from cora.api.deps import ChatServiceDep, SessionIdPath, SettingsDep, UserIdPath
from cora.api.json_route import StrictJsonRoute
from cora.api.openapi import (
    EVENT_STREAM,
    SESSION_ERRORS,
    WRITE_ERRORS,
    error_responses,
    event_stream,
)
from cora.errors import AssistantFailed
from cora.schemas import (
    ChatDelta,
    ChatReply,
    ChatRequest,
    ErrorBody,
    MessagePublic,
    StopResult,
)
from cora.services.chat import Turn
from cora.services.reply_writer import Delta, ReplyFailed, ReplyStored

router = APIRouter(
    prefix="/sessions",
    tags=["chat"],
    responses=error_responses(*SESSION_ERRORS),
    route_class=StrictJsonRoute,
)

KEEP_ALIVE = b": keep-alive\n\n"

CHAT_RESPONSES = {
    201: {"description": "The user's message and the reply, both stored"},
    **event_stream(
        "With `Accept: text/event-stream`: events `user_message`, `reply_started` (the reply"
        ' as first stored, status streaming), any number of `delta` ({"message_id", "text"}),'
        ' then `reply`, or `error` ({"detail"}); a comment line at least every 15 seconds.'
    ),
    **error_responses(*WRITE_ERRORS, 409, 502),
}


@router.post(
    "/{user_id}/{session_id}/chat",
    status_code=status.HTTP_201_CREATED,
    response_model=ChatReply,
    responses=CHAT_RESPONSES,
)
async def chat(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    body: ChatRequest,
    service: ChatServiceDep,
    settings: SettingsDep,
    request: Request,
) -> ChatReply | StreamingResponse:
    """Store the user's message, have Cora answer with the session as context, store the reply.
    409 while another reply is being written in the session."""
    turn = await service.send(
        user_id=user_id, session_id=session_id, text=body.text, message_id=body.id
    )
    return await _answer(turn, request, settings.sse_keepalive_seconds)


@router.post(
    "/{user_id}/{session_id}/chat/regenerate",
    status_code=status.HTTP_201_CREATED,
    response_model=ChatReply,
    responses={**CHAT_RESPONSES, **error_responses(422)},
)
async def regenerate(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    service: ChatServiceDep,
    settings: SettingsDep,
    request: Request,
) -> ChatReply | StreamingResponse:
    """A new reply to the session's last user message, stored after the messages there (earlier
    replies are kept); `user_message` is that message. 409 while a reply is being written, 422
    when the session has no user message."""
    turn = await service.regenerate(user_id=user_id, session_id=session_id)
    return await _answer(turn, request, settings.sse_keepalive_seconds)


@router.post(
    "/{user_id}/{session_id}/chat/stop",
    response_model=StopResult,
    responses=error_responses(503),
)
async def stop_chat(
    user_id: UserIdPath, session_id: SessionIdPath, service: ChatServiceDep
) -> StopResult:
    """End the session's streaming reply, wherever it is written, with its text so far
    (`status: "stopped"`, `metadata.stopped`); answers once it has ended. A client
    disconnecting does not stop a reply; this does."""
    return StopResult(stopped=await service.stop(user_id=user_id, session_id=session_id))


async def _answer(
    turn: Turn, request: Request, keepalive_seconds: float
) -> ChatReply | StreamingResponse:
    if EVENT_STREAM in request.headers.get("accept", ""):
        return StreamingResponse(
            _event_stream(turn, keepalive_seconds),
            media_type=EVENT_STREAM,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    reply = turn.earlier_reply
    if turn.generation is not None:
        outcome = await turn.generation.outcome()
        if isinstance(outcome, ReplyFailed):
            raise outcome.error or AssistantFailed(outcome.detail, outcome.retry_after)
        reply = outcome.message
    assert reply is not None
    return ChatReply(
        user_message=MessagePublic.from_record(turn.user_message),
        reply=MessagePublic.from_record(reply),
    )


async def _event_stream(turn: Turn, keepalive_seconds: float) -> AsyncIterator[bytes]:
    yield _event("user_message", MessagePublic.from_record(turn.user_message).model_dump_json())
    if turn.earlier_reply is not None:
        yield _event("reply", MessagePublic.from_record(turn.earlier_reply).model_dump_json())
        return
    generation = turn.generation
    assert generation is not None
    yield _event("reply_started", MessagePublic.from_record(generation.reply).model_dump_json())
    while True:
        try:
            event = await asyncio.wait_for(generation.events.get(), keepalive_seconds)
        except TimeoutError:
            yield KEEP_ALIVE
            continue
        match event:
            case Delta(message_id=message_id, text=text):
                yield _event("delta", ChatDelta(message_id=message_id, text=text).model_dump_json())
            case ReplyStored(message=message):
                yield _event("reply", MessagePublic.from_record(message).model_dump_json())
                return
            case ReplyFailed(detail=detail):
                yield _event("error", ErrorBody(detail=detail).model_dump_json())
                return


def _event(name: str, data: str) -> bytes:
    return format_sse_event(event=name, data_str=data)
