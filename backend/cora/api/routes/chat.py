"""Chat with Cora (contract 3.5): JSON, or Server-Sent Events with `Accept: text/event-stream`."""

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request, status
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event

from cora.api.deps import ChatServiceDep, SessionIdPath, UserIdPath
from cora.api.json_route import StrictJsonRoute
from cora.errors import AssistantFailed
from cora.schemas import (
    ChatDelta,
    ChatReply,
    ChatRequest,
    ErrorBody,
    MessagePublic,
    StopResult,
)
from cora.services.chat import Delta, ReplyFailed, ReplyStored, Turn

router = APIRouter(prefix="/sessions", tags=["chat"], route_class=StrictJsonRoute)

EVENT_STREAM = "text/event-stream"


@router.post(
    "/{user_id}/{session_id}/chat",
    status_code=status.HTTP_201_CREATED,
    response_model=ChatReply,
    responses={
        200: {
            "description": "With `Accept: text/event-stream`: events `user_message`, any number"
            ' of `delta` ({"text"}), then `reply`, or `error` ({"detail"}).',
            "content": {EVENT_STREAM: {"schema": {"type": "string"}}},
        },
        **{code: {"model": ErrorBody} for code in (401, 403, 404, 409, 502, 503, 507)},
    },
)
async def chat(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    body: ChatRequest,
    service: ChatServiceDep,
    request: Request,
) -> ChatReply | StreamingResponse:
    """Store the user's message, have Cora answer with the session as context, store the reply."""
    turn = await service.send(
        user_id=user_id, session_id=session_id, text=body.text, message_id=body.id
    )
    if EVENT_STREAM in request.headers.get("accept", ""):
        return StreamingResponse(
            _event_stream(turn),
            media_type=EVENT_STREAM,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    reply = turn.earlier_reply
    if turn.generation is not None:
        outcome = await turn.generation.outcome()
        if isinstance(outcome, ReplyFailed):
            raise AssistantFailed(outcome.detail)
        reply = outcome.message
    assert reply is not None
    return ChatReply(
        user_message=MessagePublic.from_record(turn.user_message),
        reply=MessagePublic.from_record(reply),
    )


@router.post(
    "/{user_id}/{session_id}/chat/stop",
    response_model=StopResult,
    responses={code: {"model": ErrorBody} for code in (401, 403)},
)
async def stop_chat(
    user_id: UserIdPath, session_id: SessionIdPath, service: ChatServiceDep
) -> StopResult:
    """Stop the replies being written for this session; each stores its text so far, marked
    `metadata.stopped`. A client disconnecting does not stop a reply; this does."""
    return StopResult(stopped=service.stop(session_id=session_id))


async def _event_stream(turn: Turn) -> AsyncIterator[bytes]:
    yield _event("user_message", MessagePublic.from_record(turn.user_message).model_dump_json())
    if turn.earlier_reply is not None:
        yield _event("reply", MessagePublic.from_record(turn.earlier_reply).model_dump_json())
        return
    assert turn.generation is not None
    async for event in turn.generation.stream():
        match event:
            case Delta(text=text):
                yield _event("delta", ChatDelta(text=text).model_dump_json())
            case ReplyStored(message=message):
                yield _event("reply", MessagePublic.from_record(message).model_dump_json())
            case ReplyFailed(detail=detail):
                yield _event("error", ErrorBody(detail=detail).model_dump_json())


def _event(name: str, data: str) -> bytes:
    return format_sse_event(event=name, data_str=data)
