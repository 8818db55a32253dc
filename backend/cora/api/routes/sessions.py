"""The session routes (contract sections 2 and 3.1-3.2): validate, then call the service."""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError

from cora.api.deps import SessionIdPath, SessionServiceDep, UserIdPath
from cora.api.encoding import (
    JsonBody,
    etag_matches,
    message_content,
    message_page_json,
    summary_page_json,
)
from cora.api.json_route import StrictJsonRoute
from cora.api.openapi import (
    SESSION_ERRORS,
    WRITE_ERRORS,
    ResponseDocs,
    error_responses,
    header,
)
from cora.domain import SessionFilter
from cora.schemas import (
    MessageCreate,
    MessageList,
    MessagePatch,
    MessagePublic,
    SessionCreate,
    SessionList,
    SessionPatch,
    SessionPublic,
    SessionSearchSummary,
    SessionSummary,
    SessionUpdate,
    TagList,
    TagUse,
    Uuid,
)
from cora.services.sessions import encode_cursor

router = APIRouter(
    prefix="/sessions",
    tags=["sessions"],
    responses=error_responses(*SESSION_ERRORS),
    route_class=StrictJsonRoute,
)

ETAG = {"ETag": header("The session's version, for `If-None-Match` and `If-Match`")}
WRITES = error_responses(*WRITE_ERRORS)
CONDITIONAL_WRITES: ResponseDocs = {**WRITES, **error_responses(412)}
STREAMING_CONFLICT = error_responses(409)  # a reply is being written (3.5)

MessageIdPath = Annotated[Uuid, Path(description="The message's UUID (any case)")]

IfMatch = Annotated[str | None, Header(description="Answer 412 unless the session's ETag")]
IfNoneMatch = Annotated[str | None, Header(description="Answer 304 if the ETag still matches")]


def _etag_condition(value: str | None) -> str | None:
    """The ETag a write requires, or None: no header, an empty one, or `*` (any version)."""
    condition = (value or "").strip()
    return None if condition in ("", "*") else condition


@router.post(
    "/{user_id}",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionPublic,
    responses={
        201: {
            "description": "The new session",
            "headers": {**ETAG, "Location": header("The session's URL")},
        },
        **WRITES,
    },
)
async def create_session(
    user_id: UserIdPath,
    service: SessionServiceDep,
    request: Request,
    response: Response,
    body: SessionCreate | None = None,
) -> SessionPublic:
    """Create a session (2.1)."""
    if body is None and await request.body():
        # JSON `null` is not a SessionCreate: the body is optional, not nullable.
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "must be an object or absent", "type": "model_type"}]
        )
    record = await service.create(user_id=user_id, request=body or SessionCreate())
    response.headers["Location"] = str(
        request.url_for("get_session", user_id=user_id, session_id=record.session_id)
    )
    response.headers["ETag"] = record.summary.etag
    return SessionPublic.from_session(record)


@router.get("/{user_id}", response_model=SessionList)
async def list_sessions(
    user_id: UserIdPath,
    service: SessionServiceDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    archived: Annotated[
        bool, Query(description="List only archived sessions (otherwise they are left out)")
    ] = False,
    pinned: Annotated[bool, Query(description="List only pinned sessions")] = False,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the title, tags or messages")
    ] = None,
    tag: Annotated[str | None, Query(max_length=64, description="A tag the session has")] = None,
) -> SessionList | Response:
    """The user's sessions, most recently updated first (2.2), archived ones only with
    `archived=true` (3.1); with `q` or `tag`, only those that match, each with a `match`
    snippet (3.4)."""
    view = SessionFilter(archived=archived, pinned_only=pinned)
    if q or tag is not None:
        found = await service.search(
            user_id=user_id, text=q, tag=tag, limit=limit, cursor=cursor, view=view
        )
        return SessionList(
            sessions=[
                SessionSearchSummary(
                    **dict(SessionSummary.from_record(hit.summary)), match=hit.match
                )
                for hit in found.hits
            ],
            next_cursor=encode_cursor(found.next_position) if found.next_position else None,
        )
    page = await service.list(user_id=user_id, limit=limit, cursor=cursor, view=view)
    return Response(summary_page_json(page), media_type="application/json")


@router.get("/{user_id}/tags", response_model=TagList)
async def list_tags(user_id: UserIdPath, service: SessionServiceDep) -> TagList:
    """Every tag the user's sessions carry, with how many carry it, most used first (3.11)."""
    counts = await service.tags(user_id=user_id)
    return TagList(tags=[TagUse.from_record(count) for count in counts])


@router.get("/{user_id}/{session_id}/messages", response_model=MessageList)
async def list_messages(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    service: SessionServiceDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[Uuid | None, Query(description="A message id of this session")] = None,
) -> Response:
    """Messages in stored order: the latest `limit`, or the `limit` just before `before` (3.3)."""
    page = await service.messages(
        user_id=user_id, session_id=session_id, limit=limit, before=before
    )
    return Response(message_page_json(page), media_type="application/json")


@router.get(
    "/{user_id}/{session_id}",
    response_model=SessionPublic,
    responses={
        200: {"description": "The session", "headers": ETAG},
        304: {"description": "Not modified: `If-None-Match` names the current ETag"},
    },
)
async def get_session(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    service: SessionServiceDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The session with all its messages (2.3)."""
    session = await service.get_encoded(user_id=user_id, session_id=session_id)
    headers = {"ETag": session.etag}
    if etag_matches(if_none_match, session.etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(session.session_json, media_type="application/json", headers=headers)


@router.put(
    "/{user_id}/{session_id}",
    response_model=SessionPublic,
    responses={
        200: {"description": "The session as replaced", "headers": ETAG},
        **CONDITIONAL_WRITES,
        **STREAMING_CONFLICT,
    },
)
async def replace_session(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    body: SessionUpdate,
    service: SessionServiceDep,
    response: Response,
    if_match: IfMatch = None,
) -> SessionPublic:
    """Replace the session's messages and any field given (2.4)."""
    record = await service.replace(
        user_id=user_id,
        session_id=session_id,
        request=body,
        if_match=_etag_condition(if_match),
    )
    response.headers["ETag"] = record.summary.etag
    return SessionPublic.from_session(record)


@router.post(
    "/{user_id}/{session_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessagePublic,
    responses={
        201: {"description": "The message as stored"},
        200: {"model": MessagePublic, "description": "Already stored (a retry with its id)"},
        **WRITES,
        409: {
            **error_responses(409)[409],
            "description": "The id is stored with another sender or text, or a reply is being"
            " written",
        },
    },
)
async def append_message(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    body: MessageCreate,
    service: SessionServiceDep,
) -> JsonBody:
    """Append one message; a retry with a stored id stores nothing twice (2.5)."""
    result = await service.append(user_id=user_id, session_id=session_id, request=body)
    return JsonBody(
        message_content(result.message),
        status_code=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
    )


@router.patch(
    "/{user_id}/{session_id}/messages/{message_id}",
    response_model=MessagePublic,
    responses={**WRITES, 422: error_responses(422)[422]},
)
async def patch_message(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    message_id: MessageIdPath,
    body: MessagePatch,
    service: SessionServiceDep,
) -> MessagePublic:
    """Set or clear an assistant message's feedback (3.10); other messages take none (422)."""
    feedback = body.feedback.to_record() if body.feedback is not None else None
    message = await service.set_feedback(
        user_id=user_id, session_id=session_id, message_id=message_id, feedback=feedback
    )
    return MessagePublic.from_record(message)


@router.patch(
    "/{user_id}/{session_id}",
    response_model=SessionSummary,
    responses={
        200: {"description": "The session's summary", "headers": ETAG},
        **CONDITIONAL_WRITES,
    },
)
async def patch_session(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    body: SessionPatch,
    service: SessionServiceDep,
    response: Response,
    if_match: IfMatch = None,
) -> SessionSummary:
    """Change the title, tags, metadata, pinned or archived (3.1)."""
    record = await service.patch(
        user_id=user_id, session_id=session_id, request=body, if_match=_etag_condition(if_match)
    )
    response.headers["ETag"] = record.summary.etag
    return SessionSummary.from_record(record.summary)


@router.delete(
    "/{user_id}/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(412, 507),
)
async def delete_session(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    service: SessionServiceDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete the session and its file (3.2)."""
    await service.delete(user_id=user_id, session_id=session_id, if_match=_etag_condition(if_match))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
