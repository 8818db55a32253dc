"""Every endpoint of the contract as a `Call`: the request to send and how to read its answer.

Both clients send these; neither builds a request or parses an answer itself."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, NamedTuple, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from cora.client.errors import error_for
from cora.schemas import (
    AccountPublic,
    ChatReply,
    Health,
    ImportResult,
    MessageCreate,
    MessageList,
    MessagePublic,
    SessionList,
    SessionPublic,
    SessionsExport,
    SessionSummary,
    StopResult,
    TokenResponse,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

EVENT_STREAM = "text/event-stream"


class Unset(enum.Enum):
    """A field left out of the request (for `title`, where None means "derive it again")."""

    UNSET = enum.auto()


UNSET = Unset.UNSET

MessageInput = MessageCreate | MessagePublic | Mapping[str, Any]


class Versioned(NamedTuple):
    """A session and its `ETag`, to give as `if_match` to a later write."""

    session: SessionPublic
    etag: str


@dataclass(frozen=True, slots=True)
class Recheck(Generic[T]):
    """For a conditional write tried again after an answer was lost: a 412 may mean the lost try
    was applied. `call` reads the session again; `applied` says whether it holds that write."""

    call: Call[T]
    applied: Callable[[T], bool]


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: Mapping[str, str | int] | None = None
    json: Any = None
    form: Mapping[str, str] | None = None
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    repeatable: bool = False
    """Safe to send again when no answer came: the server stores nothing twice."""
    recheck: Recheck[T] | None = None
    done_status: int | None = None
    """After a try that may have been applied, this status means it was (a DELETE's 404)."""
    waits_for_assistant: bool = False
    """Sent with the client's `chat_timeout`: the answer comes when the assistant has written."""

    def request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        token: str | None,
        chat_timeout: httpx.Timeout,
    ) -> httpx.Request:
        headers = dict(self.headers)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return http.build_request(
            self.method,
            self.path,
            params=self.params,
            json=self.json,
            data=self.form,
            content=self.content,
            headers=headers,
            timeout=chat_timeout if self.waits_for_assistant else http.timeout,
        )

    def result(self, response: httpx.Response, in_doubt: bool = False) -> T:
        """The answer's value; a typed `CoraClientError` for an error (the body must be read)."""
        done = in_doubt and response.status_code == self.done_status
        if not (response.is_success or response.status_code == 304 or done):
            raise error_for(response)
        return self.parse(response)

    def recheck_after(self, response: httpx.Response, in_doubt: bool) -> Recheck[T] | None:
        if in_doubt and response.status_code == 412:
            return self.recheck
        return None


# --- answers ---------------------------------------------------------------------------------


def model(kind: type[M]) -> Callable[[httpx.Response], M]:
    return lambda response: kind.model_validate_json(response.content)


def no_content(response: httpx.Response) -> None:
    return None


def versioned(response: httpx.Response) -> Versioned | None:
    if response.status_code == 304:
        return None
    return Versioned(SessionPublic.model_validate_json(response.content), response.headers["ETag"])


# --- paths and bodies ------------------------------------------------------------------------


def _path(*segments: str) -> str:
    return "/" + "/".join(quote(segment, safe="") for segment in segments)


def _session(user_id: str, session_id: str, *rest: str) -> str:
    return _path("sessions", user_id, session_id, *rest)


def _condition(if_match: str | None) -> dict[str, str]:
    return {"If-Match": if_match} if if_match else {}


def _fields(
    title: str | Unset | None, tags: Sequence[str] | None, metadata: Mapping[str, Any] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if title is not UNSET:
        body["title"] = title
    if tags is not None:
        body["tags"] = list(tags)
    if metadata is not None:
        body["metadata"] = dict(metadata)
    return body


def _timestamp(value: datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def new_id() -> str:
    return str(uuid.uuid4())


def message_body(message: MessageInput) -> dict[str, Any]:
    """A message as a request body, with an id (made here when it has none)."""
    if isinstance(message, BaseModel):
        body = message.model_dump(mode="json", exclude_none=True)
    else:
        body = {key: value for key, value in message.items() if value is not None}
        if isinstance(body.get("timestamp"), datetime):
            body["timestamp"] = body["timestamp"].isoformat()
    body.setdefault("id", new_id())
    return body


# --- accounts and operations -----------------------------------------------------------------


def healthz() -> Call[Health]:
    return Call("GET", "/healthz", model(Health), repeatable=True)


def register(username: str, password: str) -> Call[AccountPublic]:
    body = {"username": username, "password": password}
    return Call("POST", "/auth/register", model(AccountPublic), json=body)


def login(username: str, password: str) -> Call[TokenResponse]:
    form = {"username": username, "password": password}
    return Call("POST", "/auth/token", model(TokenResponse), form=form)


def me() -> Call[AccountPublic]:
    return Call("GET", "/auth/me", model(AccountPublic), repeatable=True)


# --- sessions --------------------------------------------------------------------------------


def create_session(
    user_id: str,
    title: str | None,
    tags: Sequence[str] | None,
    metadata: Mapping[str, Any] | None,
) -> Call[SessionPublic]:
    body = _fields(title if title is not None else UNSET, tags, metadata)
    return Call("POST", _path("sessions", user_id), model(SessionPublic), json=body)


def list_sessions(
    user_id: str, limit: int | None, cursor: str | None, q: str | None, tag: str | None
) -> Call[SessionList]:
    given = {"limit": limit, "cursor": cursor, "q": q, "tag": tag}
    params = {key: value for key, value in given.items() if value is not None}
    return Call(
        "GET", _path("sessions", user_id), model(SessionList), params=params, repeatable=True
    )


def get_session(user_id: str, session_id: str) -> Call[SessionPublic]:
    return Call("GET", _session(user_id, session_id), model(SessionPublic), repeatable=True)


def get_versioned(
    user_id: str, session_id: str, if_none_match: str | None
) -> Call[Versioned | None]:
    headers = {"If-None-Match": if_none_match} if if_none_match else {}
    path = _session(user_id, session_id)
    return Call("GET", path, versioned, headers=headers, repeatable=True)


def replace_session(
    user_id: str,
    session_id: str,
    messages: Sequence[MessageInput],
    title: str | Unset | None,
    tags: Sequence[str] | None,
    metadata: Mapping[str, Any] | None,
    if_match: str | None,
) -> Call[SessionPublic]:
    """PUT; with `if_match` it is repeatable, and a 412 after a lost answer is checked against
    the session: if it holds exactly these messages, the lost try was ours and it is the result."""
    bodies = [message_body(message) for message in messages]
    sent = [(body["id"], body["sender"], body["text"]) for body in bodies]

    def applied(session: SessionPublic) -> bool:
        return [(m.id, m.sender, m.text) for m in session.messages] == sent

    path = _session(user_id, session_id)
    return Call(
        "PUT",
        path,
        model(SessionPublic),
        json={"messages": bodies, **_fields(title, tags, metadata)},
        headers=_condition(if_match),
        repeatable=if_match is not None,
        recheck=Recheck(get_session(user_id, session_id), applied),
    )


def patch_session(
    user_id: str,
    session_id: str,
    title: str | Unset | None,
    tags: Sequence[str] | None,
    metadata: Mapping[str, Any] | None,
    if_match: str | None,
) -> Call[SessionSummary]:
    return Call(
        "PATCH",
        _session(user_id, session_id),
        model(SessionSummary),
        json=_fields(title, tags, metadata),
        headers=_condition(if_match),
        repeatable=if_match is not None,
    )


def delete_session(user_id: str, session_id: str, if_match: str | None) -> Call[None]:
    """Repeatable: a retry answered 404 after a lost answer means the first try deleted it."""
    path = _session(user_id, session_id)
    headers = _condition(if_match)
    return Call("DELETE", path, no_content, headers=headers, repeatable=True, done_status=404)


# --- messages and chat -----------------------------------------------------------------------


def append_message(
    user_id: str,
    session_id: str,
    message: MessageInput,
) -> Call[MessagePublic]:
    """Repeatable: the message always carries an id, so the server stores it once."""
    path = _session(user_id, session_id, "messages")
    return Call("POST", path, model(MessagePublic), json=message_body(message), repeatable=True)


def list_messages(
    user_id: str, session_id: str, limit: int | None, before: str | None
) -> Call[MessageList]:
    given = {"limit": limit, "before": before}
    params = {key: value for key, value in given.items() if value is not None}
    path = _session(user_id, session_id, "messages")
    return Call("GET", path, model(MessageList), params=params, repeatable=True)


def chat(
    user_id: str, session_id: str, text: str, message_id: str | None, *, stream: bool = False
) -> Call[ChatReply]:
    """Repeatable: the user's message carries an id, and a retry answers the stored reply."""
    body = {"text": text, "id": message_id or new_id()}
    headers = {"Accept": EVENT_STREAM} if stream else {}
    path = _session(user_id, session_id, "chat")
    return Call(
        "POST",
        path,
        model(ChatReply),
        json=body,
        headers=headers,
        repeatable=True,
        waits_for_assistant=True,
    )


def regenerate(user_id: str, session_id: str, *, stream: bool = False) -> Call[ChatReply]:
    """Not repeatable: each call that reaches the server writes a new reply."""
    headers = {"Accept": EVENT_STREAM} if stream else {}
    path = _session(user_id, session_id, "chat", "regenerate")
    return Call("POST", path, model(ChatReply), headers=headers, waits_for_assistant=True)


def stop_chat(user_id: str, session_id: str) -> Call[StopResult]:
    return Call("POST", _session(user_id, session_id, "chat", "stop"), model(StopResult))


def message_input(
    sender: str,
    text: str,
    message_id: str | None,
    timestamp: datetime | str | None,
    metadata: Mapping[str, Any] | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"sender": sender, "text": text, "id": message_id or new_id()}
    if timestamp is not None:
        body["timestamp"] = _timestamp(timestamp)
    if metadata is not None:
        body["metadata"] = dict(metadata)
    return body


# --- export and import -----------------------------------------------------------------------


def text(response: httpx.Response) -> str:
    return response.text


def export_session(user_id: str, session_id: str) -> Call[SessionPublic]:
    path = _session(user_id, session_id, "export")
    params = {"format": "json"}
    return Call("GET", path, model(SessionPublic), params=params, repeatable=True)


def export_markdown(user_id: str, session_id: str) -> Call[str]:
    path = _session(user_id, session_id, "export")
    return Call("GET", path, text, params={"format": "markdown"}, repeatable=True)


def export_sessions(user_id: str) -> Call[SessionsExport]:
    path = _path("sessions", user_id, "export")
    return Call("GET", path, model(SessionsExport), repeatable=True)


ImportDocument = SessionsExport | bytes | Mapping[str, Any] | Sequence[Any]


def import_sessions(user_id: str, document: ImportDocument) -> Call[ImportResult]:
    """Not repeated after a lost answer (a second try would answer every source as skipped);
    importing the same document again is safe: the sources already imported are skipped."""
    path = _path("sessions", user_id, "import")
    if isinstance(document, bytes):
        headers = {"Content-Type": "application/json"}
        return Call("POST", path, model(ImportResult), content=document, headers=headers)
    body = document.model_dump(mode="json") if isinstance(document, BaseModel) else document
    return Call("POST", path, model(ImportResult), json=body)
