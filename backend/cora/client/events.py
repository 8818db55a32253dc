"""Live updates (contract 3.8) for both clients: typed events, read from an event stream that
is opened again with `Last-Event-ID` after a dropped connection."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import orjson

from cora.client.calls import EVENT_STREAM, _path
from cora.client.errors import CoraConnectionError
from cora.client.retry import RetryPolicy
from cora.schemas import MessagePublic, SessionSummary

EVENTS_TIMEOUT = httpx.Timeout(5.0, read=60.0)
"""The server sends a comment at least every 15 s: a minute of silence is a dead connection."""


@dataclass(frozen=True, slots=True)
class SessionChanged:
    """A session was created or changed (`event: session`)."""

    id: str
    session: SessionSummary


@dataclass(frozen=True, slots=True)
class SessionDeleted:
    """A session was deleted (`event: deleted`); a session's stream ends after it."""

    id: str
    session_id: str


@dataclass(frozen=True, slots=True)
class MessageChanged:
    """A message was added or changed, whole (`event: message`)."""

    id: str
    message: MessagePublic


@dataclass(frozen=True, slots=True)
class MessageDelta:
    """The next piece of a reply being written (`event: delta`)."""

    id: str
    message_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Reset:
    """The server cannot tell what was missed: read the list or the session again."""

    id: str


LiveUpdate = SessionChanged | SessionDeleted | MessageChanged | MessageDelta | Reset


def events_request(
    http: httpx.Client | httpx.AsyncClient,
    token: str | None,
    user_id: str,
    session_id: str | None,
    last_event_id: str | None,
) -> httpx.Request:
    segments = ["sessions", user_id] + ([session_id] if session_id else []) + ["events"]
    headers = {"Accept": EVENT_STREAM}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    return http.build_request("GET", _path(*segments), headers=headers, timeout=EVENTS_TIMEOUT)


class EventReader:
    """Feed it a stream's lines; it returns each event, typed, and remembers the last id."""

    def __init__(self, last_event_id: str | None, *, session_stream: bool) -> None:
        self.last_event_id = last_event_id
        self._session_stream = session_stream
        self.finished = False
        """A session's stream ended with its deletion: there is nothing more to follow."""
        self._fields: dict[str, str] = {}
        self._data: list[str] = []

    def feed(self, line: str) -> LiveUpdate | None:
        if line.startswith(":"):
            return None
        if line:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                self._data.append(value)
            else:
                self._fields[name] = value
            return None
        fields, data = self._fields, "\n".join(self._data)
        self._fields, self._data = {}, []
        if "id" in fields:
            self.last_event_id = fields["id"]
        return self._typed(fields.get("event", "message"), fields.get("id", ""), data)

    def _typed(self, kind: str, event_id: str, data: str) -> LiveUpdate | None:
        if kind == "session":
            return SessionChanged(event_id, SessionSummary.model_validate_json(data))
        if kind == "deleted":
            self.finished = self._session_stream
            return SessionDeleted(event_id, str(orjson.loads(data)["session_id"]))
        if kind == "message" and data:
            return MessageChanged(event_id, MessagePublic.model_validate_json(data))
        if kind == "delta":
            delta = orjson.loads(data)
            return MessageDelta(event_id, str(delta["message_id"]), str(delta["text"]))
        if kind == "reset":
            return Reset(event_id)
        return None  # a kind this client does not know yet


class Reconnects:
    """When to open a dropped stream again: after a back-off, unless it has dropped
    `policy.attempts` times in a row without delivering an event."""

    def __init__(self, policy: RetryPolicy, what: str) -> None:
        self._policy = policy
        self._what = what
        self._drops = 0

    def received(self) -> None:
        self._drops = 0

    def after_drop(self, error: Exception | None) -> float:
        """Seconds to wait; raises `CoraConnectionError` when it is time to give up."""
        self._drops += 1
        if self._drops >= self._policy.attempts:
            raise CoraConnectionError(
                f"{self._what}: the event stream dropped {self._drops} times ({error!r})"
            ) from error
        return self._policy.backoff_delay(self._drops - 1)
