"""`CoraClient`: the contract's endpoints as blocking methods (on `httpx.Client`)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from cora.client import calls
from cora.client.base import (
    CHAT_TIMEOUT,
    DEFAULT_TIMEOUT,
    DEFAULT_URL,
    USER_AGENT,
    ClientBase,
)
from cora.client.calls import UNSET, Call, ImportDocument, MessageInput, Unset, Versioned
from cora.client.errors import CoraConnectionError, error_for
from cora.client.events import EventReader, LiveUpdate, Reconnects, events_request
from cora.client.retry import Attempts, RetryPolicy
from cora.client.streaming import ChatEvents, ChatPiece
from cora.domain import Sender
from cora.schemas import (
    AccountPublic,
    ChatReply,
    Health,
    ImportResult,
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


class CoraClient(ClientBase):
    """A client of one Cora server. Use it as a context manager, or `close()` it.

    Errors are `CoraClientError`s (see `cora.client.errors`). Calls that are safe to repeat
    (reads, deletes, appends and chats, which always carry a message id, and writes with
    `if_match`) are tried again after a lost connection or a 502/503, as `retry` says."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        chat_timeout: float | httpx.Timeout = CHAT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(token, retry, chat_timeout)
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- sending ---------------------------------------------------------------------------

    def _response(self, call: Call[Any], attempts: Attempts, *, stream: bool) -> httpx.Response:
        while True:
            try:
                response = self._http.send(
                    call.request(self._http, self.token, self.chat_timeout), stream=stream
                )
            except httpx.TransportError as error:
                time.sleep(attempts.after_error(error))
                continue
            delay = attempts.after_response(response)
            if delay is None:
                return response
            response.close()
            time.sleep(delay)

    def _send(self, call: Call[T]) -> T:
        attempts = Attempts(self.retry, call)
        response = self._response(call, attempts, stream=False)
        recheck = call.recheck_after(response, attempts.in_doubt)
        if recheck is not None:
            current = self._send(recheck.call)
            if recheck.applied(current):
                return current
        return call.result(response, attempts.in_doubt)

    # --- accounts and operations -----------------------------------------------------------

    def healthz(self) -> Health:
        return self._send(calls.healthz())

    def register(self, username: str, password: str) -> AccountPublic:
        """Create an account (auth mode `local`); it does not log in."""
        return self._send(calls.register(username, password))

    def login(self, username: str, password: str) -> TokenResponse:
        """Log in; the token is then sent with every request, and `user_id` is set."""
        return self._logged_in(self._send(calls.login(username, password)))

    def me(self) -> AccountPublic:
        return self._send(calls.me())

    # --- sessions --------------------------------------------------------------------------

    def create_session(
        self,
        user_id: str,
        *,
        title: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> SessionPublic:
        """Not retried after a lost answer: a second try would make a second session."""
        return self._send(calls.create_session(user_id, title, tags, metadata))

    def list_sessions(
        self, user_id: str, *, limit: int | None = None, cursor: str | None = None
    ) -> SessionList:
        """One page, most recently updated first; `next_cursor` asks for the next."""
        return self._send(calls.list_sessions(user_id, limit, cursor, None, None))

    def search_sessions(
        self,
        user_id: str,
        q: str | None = None,
        *,
        tag: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> SessionList:
        """One page of the sessions matching `q` and carrying `tag`, each with a `match`."""
        return self._send(calls.list_sessions(user_id, limit, cursor, q, tag))

    def iter_sessions(
        self,
        user_id: str,
        *,
        q: str | None = None,
        tag: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[SessionSummary]:
        """Every session (matching `q` and `tag`, if given), following `next_cursor`."""
        cursor: str | None = None
        while True:
            page = self._send(calls.list_sessions(user_id, page_size, cursor, q, tag))
            yield from page.sessions
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def get_session(self, user_id: str, session_id: str) -> SessionPublic:
        return self._send(calls.get_session(user_id, session_id))

    def get_versioned(self, user_id: str, session_id: str) -> Versioned:
        """The session and its ETag (for `if_match`)."""
        found = self._send(calls.get_versioned(user_id, session_id, None))
        assert found is not None
        return found

    def get_if_changed(self, user_id: str, session_id: str, etag: str) -> Versioned | None:
        """The session and its new ETag, or None when it is still at `etag` (a 304)."""
        return self._send(calls.get_versioned(user_id, session_id, etag))

    def replace_session(
        self,
        user_id: str,
        session_id: str,
        messages: Sequence[MessageInput],
        *,
        title: str | Unset | None = UNSET,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        if_match: str | None = None,
    ) -> SessionPublic:
        """Replace the messages (and any field given; `title=None` derives it again). With
        `if_match`, `PreconditionFailed` if the session changed since that ETag."""
        call = calls.replace_session(user_id, session_id, messages, title, tags, metadata, if_match)
        return self._send(call)

    def patch_session(
        self,
        user_id: str,
        session_id: str,
        *,
        title: str | Unset | None = UNSET,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        if_match: str | None = None,
    ) -> SessionSummary:
        return self._send(calls.patch_session(user_id, session_id, title, tags, metadata, if_match))

    def delete_session(self, user_id: str, session_id: str, *, if_match: str | None = None) -> None:
        return self._send(calls.delete_session(user_id, session_id, if_match))

    # --- messages and chat -----------------------------------------------------------------

    def append_message(
        self,
        user_id: str,
        session_id: str,
        sender: Sender,
        text: str,
        *,
        message_id: str | None = None,
        timestamp: datetime | str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> MessagePublic:
        """Append one message. Its id is made here unless given, so a retry stores it once."""
        message = calls.message_input(sender, text, message_id, timestamp, metadata)
        return self._send(calls.append_message(user_id, session_id, message))

    def list_messages(
        self,
        user_id: str,
        session_id: str,
        *,
        limit: int | None = None,
        before: str | None = None,
    ) -> MessageList:
        """The latest `limit` messages, or the `limit` just before the message `before`."""
        return self._send(calls.list_messages(user_id, session_id, limit, before))

    def chat(
        self, user_id: str, session_id: str, text: str, *, message_id: str | None = None
    ) -> ChatReply:
        """Send `text` as the user; answers the stored message and Cora's stored reply."""
        return self._send(calls.chat(user_id, session_id, text, message_id))

    def chat_stream(
        self, user_id: str, session_id: str, text: str, *, message_id: str | None = None
    ) -> Iterator[ChatPiece]:
        """Send `text` as the user; yields `ReplyStarted` (the reply as first stored), the
        reply's text piece by piece (`ReplyDelta`, a `str`), then the stored reply
        (`MessagePublic`). The request goes out at the first `next()`; it is tried again only
        while nothing has arrived yet."""
        call = calls.chat(user_id, session_id, text, message_id, stream=True)
        yield from self._stream(call)

    def regenerate(self, user_id: str, session_id: str) -> ChatReply:
        """A new reply to the session's last user message (earlier replies are kept)."""
        return self._send(calls.regenerate(user_id, session_id))

    def regenerate_stream(self, user_id: str, session_id: str) -> Iterator[ChatPiece]:
        """`regenerate`, streamed like `chat_stream`."""
        yield from self._stream(calls.regenerate(user_id, session_id, stream=True))

    def _stream(self, call: Call[ChatReply]) -> Iterator[ChatPiece]:
        response = self._response(call, Attempts(self.retry, call), stream=True)
        try:
            if not response.is_success:
                response.read()
                raise error_for(response)
            events = ChatEvents()
            for line in response.iter_lines():
                piece = events.feed(line)
                if piece is not None:
                    yield piece
            events.finish()
        except httpx.TransportError as error:
            raise CoraConnectionError(f"The chat's event stream broke: {error!r}") from error
        finally:
            response.close()

    def stop_chat(self, user_id: str, session_id: str) -> StopResult:
        """End the session's reply being written (it keeps its text so far, `stopped`); 1 if
        there was one."""
        return self._send(calls.stop_chat(user_id, session_id))

    # --- live updates ----------------------------------------------------------------------

    def iter_events(
        self, user_id: str, session_id: str | None = None, *, last_event_id: str | None = None
    ) -> Iterator[LiveUpdate]:
        """Live updates (3.8) of the user's list, or of one session: `SessionChanged`,
        `SessionDeleted`, and for a session `MessageChanged` and `MessageDelta`; `Reset` when
        the server cannot tell what was missed. Runs until the session is deleted or the loop
        stops; a dropped connection is opened again with `Last-Event-ID` (as `retry` says), so
        nothing is missed. `last_event_id` resumes from an event seen earlier."""
        reader = EventReader(last_event_id, session_stream=session_id is not None)
        reconnects = Reconnects(self.retry, f"events of {user_id}")
        while True:
            request = events_request(
                self._http, self.token, user_id, session_id, reader.last_event_id
            )
            dropped: Exception | None = None
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as error:
                time.sleep(reconnects.after_drop(error))
                continue
            try:
                if response.status_code not in self.retry.statuses:
                    if not response.is_success:
                        response.read()
                        raise error_for(response)
                    for line in response.iter_lines():
                        update = reader.feed(line)
                        if update is not None:
                            reconnects.received()
                            yield update
                            if reader.finished:
                                return
            except httpx.TransportError as error:
                dropped = error
            finally:
                response.close()
            time.sleep(reconnects.after_drop(dropped))

    # --- export and import -----------------------------------------------------------------

    def export_session(self, user_id: str, session_id: str) -> SessionPublic:
        """The session as its JSON download (`format=json`)."""
        return self._send(calls.export_session(user_id, session_id))

    def export_markdown(self, user_id: str, session_id: str) -> str:
        """The session as its Markdown download (`format=markdown`)."""
        return self._send(calls.export_markdown(user_id, session_id))

    def export_sessions(self, user_id: str) -> SessionsExport:
        """All of the user's sessions, as one `cora-sessions` document."""
        return self._send(calls.export_sessions(user_id))

    def import_sessions(self, user_id: str, document: ImportDocument) -> ImportResult:
        """Import a `cora-sessions` document or a ChatGPT export's `conversations.json` (parsed,
        or as the file's bytes); sources imported before are skipped."""
        return self._send(calls.import_sessions(user_id, document))
