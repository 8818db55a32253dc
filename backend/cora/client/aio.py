"""`AsyncCoraClient`: the contract's endpoints as coroutines (on `httpx.AsyncClient`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
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


class AsyncCoraClient(ClientBase):
    """A client of one Cora server, for asyncio. Use it as an async context manager, or
    `await aclose()` it. Everything else is as in `CoraClient`.

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
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(token, retry, chat_timeout)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- sending ---------------------------------------------------------------------------

    async def _response(
        self, call: Call[Any], attempts: Attempts, *, stream: bool
    ) -> httpx.Response:
        while True:
            try:
                response = await self._http.send(
                    call.request(self._http, self.token, self.chat_timeout), stream=stream
                )
            except httpx.TransportError as error:
                await asyncio.sleep(attempts.after_error(error))
                continue
            delay = attempts.after_response(response)
            if delay is None:
                return response
            await response.aclose()
            await asyncio.sleep(delay)

    async def _send(self, call: Call[T]) -> T:
        attempts = Attempts(self.retry, call)
        response = await self._response(call, attempts, stream=False)
        recheck = call.recheck_after(response, attempts.in_doubt)
        if recheck is not None:
            current = await self._send(recheck.call)
            if recheck.applied(current):
                return current
        return call.result(response, attempts.in_doubt)

    # --- accounts and operations -----------------------------------------------------------

    async def healthz(self) -> Health:
        return await self._send(calls.healthz())

    async def register(self, username: str, password: str) -> AccountPublic:
        """Create an account (auth mode `local`); it does not log in."""
        return await self._send(calls.register(username, password))

    async def login(self, username: str, password: str) -> TokenResponse:
        """Log in; the token is then sent with every request, and `user_id` is set."""
        return self._logged_in(await self._send(calls.login(username, password)))

    async def me(self) -> AccountPublic:
        return await self._send(calls.me())

    # --- sessions --------------------------------------------------------------------------

    async def create_session(
        self,
        user_id: str,
        *,
        title: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> SessionPublic:
        """Not retried after a lost answer: a second try would make a second session."""
        return await self._send(calls.create_session(user_id, title, tags, metadata))

    async def list_sessions(
        self, user_id: str, *, limit: int | None = None, cursor: str | None = None
    ) -> SessionList:
        """One page, most recently updated first; `next_cursor` asks for the next."""
        return await self._send(calls.list_sessions(user_id, limit, cursor, None, None))

    async def search_sessions(
        self,
        user_id: str,
        q: str | None = None,
        *,
        tag: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> SessionList:
        """One page of the sessions matching `q` and carrying `tag`, each with a `match`."""
        return await self._send(calls.list_sessions(user_id, limit, cursor, q, tag))

    async def iter_sessions(
        self,
        user_id: str,
        *,
        q: str | None = None,
        tag: str | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[SessionSummary]:
        """Every session (matching `q` and `tag`, if given), following `next_cursor`."""
        cursor: str | None = None
        while True:
            page = await self._send(calls.list_sessions(user_id, page_size, cursor, q, tag))
            for session in page.sessions:
                yield session
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def get_session(self, user_id: str, session_id: str) -> SessionPublic:
        return await self._send(calls.get_session(user_id, session_id))

    async def get_versioned(self, user_id: str, session_id: str) -> Versioned:
        """The session and its ETag (for `if_match`)."""
        found = await self._send(calls.get_versioned(user_id, session_id, None))
        assert found is not None
        return found

    async def get_if_changed(self, user_id: str, session_id: str, etag: str) -> Versioned | None:
        """The session and its new ETag, or None when it is still at `etag` (a 304)."""
        return await self._send(calls.get_versioned(user_id, session_id, etag))

    async def replace_session(
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
        return await self._send(call)

    async def patch_session(
        self,
        user_id: str,
        session_id: str,
        *,
        title: str | Unset | None = UNSET,
        tags: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        if_match: str | None = None,
    ) -> SessionSummary:
        return await self._send(
            calls.patch_session(user_id, session_id, title, tags, metadata, if_match)
        )

    async def delete_session(
        self, user_id: str, session_id: str, *, if_match: str | None = None
    ) -> None:
        return await self._send(calls.delete_session(user_id, session_id, if_match))

    # --- messages and chat -----------------------------------------------------------------

    async def append_message(
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
        return await self._send(calls.append_message(user_id, session_id, message))

    async def list_messages(
        self,
        user_id: str,
        session_id: str,
        *,
        limit: int | None = None,
        before: str | None = None,
    ) -> MessageList:
        """The latest `limit` messages, or the `limit` just before the message `before`."""
        return await self._send(calls.list_messages(user_id, session_id, limit, before))

    async def chat(
        self, user_id: str, session_id: str, text: str, *, message_id: str | None = None
    ) -> ChatReply:
        """Send `text` as the user; answers the stored message and Cora's stored reply."""
        return await self._send(calls.chat(user_id, session_id, text, message_id))

    async def chat_stream(
        self, user_id: str, session_id: str, text: str, *, message_id: str | None = None
    ) -> AsyncIterator[ChatPiece]:
        """Send `text` as the user; yields `ReplyStarted` (the reply as first stored), the
        reply's text piece by piece (`ReplyDelta`, a `str`), then the stored reply
        (`MessagePublic`). The request goes out at the first `anext()`; it is tried again only
        while nothing has arrived yet."""
        call = calls.chat(user_id, session_id, text, message_id, stream=True)
        async for piece in self._stream(call):
            yield piece

    async def regenerate(self, user_id: str, session_id: str) -> ChatReply:
        """A new reply to the session's last user message (earlier replies are kept)."""
        return await self._send(calls.regenerate(user_id, session_id))

    async def regenerate_stream(self, user_id: str, session_id: str) -> AsyncIterator[ChatPiece]:
        """`regenerate`, streamed like `chat_stream`."""
        async for piece in self._stream(calls.regenerate(user_id, session_id, stream=True)):
            yield piece

    async def _stream(self, call: Call[ChatReply]) -> AsyncIterator[ChatPiece]:
        response = await self._response(call, Attempts(self.retry, call), stream=True)
        try:
            if not response.is_success:
                await response.aread()
                raise error_for(response)
            events = ChatEvents()
            async for line in response.aiter_lines():
                piece = events.feed(line)
                if piece is not None:
                    yield piece
            events.finish()
        except httpx.TransportError as error:
            raise CoraConnectionError(f"The chat's event stream broke: {error!r}") from error
        finally:
            await response.aclose()

    async def stop_chat(self, user_id: str, session_id: str) -> StopResult:
        """End the session's reply being written (it keeps its text so far, `stopped`); 1 if
        there was one."""
        return await self._send(calls.stop_chat(user_id, session_id))

    # --- live updates ----------------------------------------------------------------------

    async def iter_events(
        self, user_id: str, session_id: str | None = None, *, last_event_id: str | None = None
    ) -> AsyncIterator[LiveUpdate]:
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
                response = await self._http.send(request, stream=True)
            except httpx.TransportError as error:
                await asyncio.sleep(reconnects.after_drop(error))
                continue
            try:
                if response.status_code not in self.retry.statuses:
                    if not response.is_success:
                        await response.aread()
                        raise error_for(response)
                    async for line in response.aiter_lines():
                        update = reader.feed(line)
                        if update is not None:
                            reconnects.received()
                            yield update
                            if reader.finished:
                                return
            except httpx.TransportError as error:
                dropped = error
            finally:
                await response.aclose()
            await asyncio.sleep(reconnects.after_drop(dropped))

    # --- export and import -----------------------------------------------------------------

    async def export_session(self, user_id: str, session_id: str) -> SessionPublic:
        """The session as its JSON download (`format=json`)."""
        return await self._send(calls.export_session(user_id, session_id))

    async def export_markdown(self, user_id: str, session_id: str) -> str:
        """The session as its Markdown download (`format=markdown`)."""
        return await self._send(calls.export_markdown(user_id, session_id))

    async def export_sessions(self, user_id: str) -> SessionsExport:
        """All of the user's sessions, as one `cora-sessions` document."""
        return await self._send(calls.export_sessions(user_id))

    async def import_sessions(self, user_id: str, document: ImportDocument) -> ImportResult:
        """Import a `cora-sessions` document or a ChatGPT export's `conversations.json` (parsed,
        or as the file's bytes); sources imported before are skipped."""
        return await self._send(calls.import_sessions(user_id, document))
