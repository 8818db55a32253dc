"""Append (2.5), list (2.2), get (2.3) and a page of messages (3.3) answered without FastAPI's
routing and dependency solving.

They are most of a chat client's traffic, and for them FastAPI's request stack costs more than
the store. `HotRoutes` matches their paths itself, checks the caller with the same
`principal_from` as `require_owner`, validates the body with the route's own model and calls the
same service method, so the answers are the routes' answers. Whatever it does not answer plainly
goes on to the FastAPI route untouched, before anything was stored: a caller who is refused, a
body or query that does not validate, a search, an unusual content type. The FastAPI routes stay
the API's definition (OpenAPI, errors); `tests/api/test_hot_routes.py` compares the two paths.
"""

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cora import errors
from cora.api.deps import session_service
from cora.api.encoding import (
    etag_matches,
    message_content,
    message_page_json,
    summary_page_json,
)
from cora.api.errors import error_answer, unexpected_error_detail
from cora.api.json_route import strict_loads
from cora.api.security import bearer_token, principal_from
from cora.domain import USER_ID_PATTERN, UUID_PATTERN, SessionFilter
from cora.encoding import dumps
from cora.schemas import MessageCreate
from cora.services.sessions import SessionService

# The routes' own patterns (`UserIdPath`, `Uuid`), without their anchors: `fullmatch` anchors.
_USER = rf"(?P<user_id>{USER_ID_PATTERN.strip('^$')})"
_UUID = UUID_PATTERN.strip("^$")
MESSAGES_PATH = re.compile(rf"/sessions/{_USER}/(?P<session_id>{_UUID})/messages")
LIST_PATH = re.compile(rf"/sessions/{_USER}")
SESSION_PATH = re.compile(rf"/sessions/{_USER}/(?P<session_id>{_UUID})")
# A plain `limit` first, ended by `&` or the query's end (`limit=5cursor=…` is one parameter,
# `limit`, which is not a number: FastAPI answers it).
_LIMIT_PARAM = rb"(?:limit=(?P<limit>[1-9][0-9]{0,2})(?:&|\Z))?"
# The list's plain query: `limit` and `cursor` alone (search, filters and anything else: FastAPI).
_LIST_QUERY = re.compile(_LIMIT_PARAM + rb"(?:cursor=(?P<cursor>[A-Za-z0-9_=-]{1,512}))?")
_LIST_LIMIT = 200
LISTED = SessionFilter(archived=False)  # what the API lists unless asked (3.1)
_DEFAULT_LIMIT = 50
_MESSAGES_QUERY = re.compile(_LIMIT_PARAM + rb"(?:before=(?P<before>%b))?" % _UUID.encode())
_MESSAGES_LIMIT = 500

# The request's messages read so far, and the refusal that ended the reading, if one did.
Arrived = tuple[list[Message], Exception | None]
# Status, JSON content (None: no body, as a 304), extra headers.
Answer = tuple[int, bytes | None, list[tuple[bytes, bytes]]]
Handler = Callable[["HotRoutes", re.Match[str], Scope, bytes], Awaitable[Answer]]


class _Pass(Exception):
    """This request is not for the hot path: FastAPI answers it."""


class HotRoutes:
    """Answers the hot routes of `app`; `answer` returns False for a request left to FastAPI."""

    def __init__(
        self,
        app: ASGIApp,
        state: State,
        routes: Sequence[BaseRoute],
        overrides: Mapping[Callable[..., Any], Callable[..., Any]],
    ) -> None:
        self._app = app
        self._state = state
        self._overrides = overrides  # the app's `dependency_overrides`, which only FastAPI calls
        # The FastAPI routes they stand for: `scope["route"]` names the route in the metrics.
        self._route_by_name = {getattr(route, "name", None): route for route in routes}
        # The service on the stores and settings it was built from (tests replace them).
        self._service: tuple[object, object, SessionService] | None = None

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer a hot route's request, or hand it to FastAPI as it arrived; False: not a hot
        route's (the caller passes it on)."""
        found = self._match(scope)
        if found is None:
            return False
        handler, match, route_name = found
        scope["route"] = self._route_by_name.get(route_name)
        body: bytes | None = b""
        arrived: Arrived = ([], None)
        if scope["method"] == "POST":
            body, arrived = await _read_body(receive)
        if body is None:  # the client left, or the body passed the limit
            await self._app(scope, _replay(arrived, receive), send)
            return True
        try:
            answer = await handler(self, match, scope, body)
        except _Pass:
            await self._app(scope, _replay(arrived, receive), send)
            return True
        except Exception:  # FastAPI's error layers are inside this middleware (`app.py`)
            detail = unexpected_error_detail(scope["method"], scope["path"])
            answer = 500, dumps({"detail": detail}), []
        await _send(send, answer)
        return True

    def _match(self, scope: Scope) -> tuple[Handler, re.Match[str], str] | None:
        if not self._state.settings.hot_routes or not hasattr(self._state, "stores"):
            return None  # switched off, or not started (no stores yet): FastAPI answers
        if self._overrides:
            return None  # a dependency replaced (tests): FastAPI's routes call the replacement
        method, path = scope["method"], scope["path"]
        if method == "POST" and _is_json(scope) and (match := MESSAGES_PATH.fullmatch(path)):
            return _append, match, "append_message"
        if method != "GET":
            return None
        if match := LIST_PATH.fullmatch(path):
            return _list, match, "list_sessions"
        if path.endswith("/messages") and (match := MESSAGES_PATH.fullmatch(path)):
            return _messages, match, "list_messages"
        if match := SESSION_PATH.fullmatch(path):
            return _get, match, "get_session"
        return None

    async def owner(self, scope: Scope, user_id: str) -> None:
        """Pass to FastAPI unless the caller may use `user_id`: it answers 401 or 403, or the
        error the token check met (storage that does not answer: 503)."""
        try:
            principal = await principal_from(bearer_token(scope["headers"]), self._state)
        except errors.CoraError:
            raise _Pass() from None
        if principal is not None and principal.user_id != user_id:
            raise _Pass()

    async def call(self, operation: Callable[[], Awaitable[Answer]], scope: Scope) -> Answer:
        """The operation's answer; a domain error as the error table maps it."""
        try:
            return await operation()
        except errors.CoraError as error:
            status, detail, headers = error_answer(error, scope["method"], scope["path"])
            encoded = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
            return status, dumps({"detail": detail}), encoded

    def service(self) -> SessionService:
        """The session service on the app's stores, built once for them: building it costs
        more than a plain request's own Python."""
        stores, settings = self._state.stores, self._state.settings
        cached = self._service
        if cached is None or cached[0] is not stores or cached[1] is not settings:
            cached = self._service = (stores, settings, session_service(stores, settings))
        return cached[2]


async def _append(hot: HotRoutes, match: re.Match[str], scope: Scope, body: bytes) -> Answer:
    user_id, session_id = match["user_id"], match["session_id"].lower()
    await hot.owner(scope, user_id)
    try:
        request = MessageCreate.model_validate(strict_loads(body))
    except (ValueError, RecursionError, ValidationError):
        raise _Pass() from None  # FastAPI answers 422 with its own detail

    async def append() -> Answer:
        result = await hot.service().append(user_id=user_id, session_id=session_id, request=request)
        return (201 if result.created else 200), dumps(message_content(result.message)), []

    return await hot.call(append, scope)


def _page_query(scope: Scope, pattern: re.Pattern[bytes], most: int) -> tuple[re.Match[bytes], int]:
    """The query's parts and its `limit`; `_Pass` for any other query or a limit over `most`."""
    query = pattern.fullmatch(scope["query_string"])
    if query is None:
        raise _Pass()
    limit = int(query["limit"] or _DEFAULT_LIMIT)
    if limit > most:
        raise _Pass()
    return query, limit


async def _list(hot: HotRoutes, match: re.Match[str], scope: Scope, body: bytes) -> Answer:
    query, limit = _page_query(scope, _LIST_QUERY, _LIST_LIMIT)
    cursor = query["cursor"].decode() if query["cursor"] else None
    user_id = match["user_id"]
    await hot.owner(scope, user_id)

    async def list_page() -> Answer:
        page = await hot.service().list(user_id=user_id, limit=limit, cursor=cursor, view=LISTED)
        return 200, summary_page_json(page), []

    return await hot.call(list_page, scope)


async def _messages(hot: HotRoutes, match: re.Match[str], scope: Scope, body: bytes) -> Answer:
    query, limit = _page_query(scope, _MESSAGES_QUERY, _MESSAGES_LIMIT)
    before = query["before"].decode().lower() if query["before"] else None
    user_id, session_id = match["user_id"], match["session_id"].lower()
    await hot.owner(scope, user_id)

    async def messages_page() -> Answer:
        page = await hot.service().messages(
            user_id=user_id, session_id=session_id, limit=limit, before=before
        )
        return 200, message_page_json(page), []

    return await hot.call(messages_page, scope)


async def _get(hot: HotRoutes, match: re.Match[str], scope: Scope, body: bytes) -> Answer:
    if scope["query_string"]:
        raise _Pass()
    user_id, session_id = match["user_id"], match["session_id"].lower()
    await hot.owner(scope, user_id)
    if_none_match = _header(scope, b"if-none-match")

    async def get_session() -> Answer:
        session = await hot.service().get_encoded(user_id=user_id, session_id=session_id)
        headers = [(b"etag", session.etag.encode())]
        if etag_matches(if_none_match, session.etag):
            return 304, None, headers
        return 200, session.session_json, headers

    return await hot.call(get_session, scope)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return bool(media_type == b"application/json")
    return False


async def _read_body(receive: Receive) -> tuple[bytes | None, Arrived]:
    """The whole body, or None if it did not arrive whole (the client left, or the middleware's
    limit refused it: `BodyTooLarge`); and what arrived, for `_replay` to hand the request on
    to FastAPI as it came (the same messages, the same exception)."""
    arrived: list[Message] = []
    while True:
        try:
            message = await receive()
        except HTTPException as refused:
            return None, (arrived, refused)
        arrived.append(message)
        if message["type"] != "http.request":
            return None, (arrived, None)
        if not message.get("more_body", False):
            body = b"".join(part.get("body", b"") for part in arrived)
            whole: Message = {"type": "http.request", "body": body, "more_body": False}
            return body, ([whole], None)


def _replay(arrived: Arrived, receive: Receive) -> Receive:
    """A `receive` that gives what arrived (then raises the refusal, if one came), then whatever
    the client sends next."""
    messages, refused = arrived
    pending = list(reversed(messages))

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        if refused is not None:
            raise refused
        return await receive()

    return replayed


async def _send(send: Send, answer: Answer) -> None:
    status, content, headers = answer
    if content is not None:
        headers = [
            (b"content-length", str(len(content)).encode()),
            (b"content-type", b"application/json"),
            *headers,
        ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content or b""})
