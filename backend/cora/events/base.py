"""The event bus interface: one implementation per store, so that every process and server on
the same storage sees the same events (contract 3.8)."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

EventKind = Literal["session", "deleted", "message", "delta", "reset"]
EVENT_KINDS: frozenset[str] = frozenset(("session", "deleted", "message", "delta", "reset"))


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One change, as an SSE event: `kind` is the `event:` name, `data` the JSON `data:` line.

    `session_id` is set on every event (the list stream filters by user, the session stream by
    session). `id` is assigned by the bus when the event is published; it is what a client
    sends back as `Last-Event-ID`.
    """

    kind: EventKind
    user_id: str
    session_id: str
    data: bytes
    id: str = ""


class EventBus(ABC):
    """Fan-out of live events to subscribers in any process on the same storage.

    Events reach subscribers in the order the bus assigned their ids. A subscriber that falls
    too far behind gets one `reset` event (with the id of the newest event it missed) in place
    of what it missed, then the events after it; writers and other subscribers never wait.
    """

    async def open(self) -> None:
        """Start following the shared storage; called once at start. Raises
        `StorageUnavailable` when the storage cannot be reached."""

    async def close(self) -> None:
        """Stop following; end every subscription (their iteration stops)."""

    @abstractmethod
    async def publish(self, event: LiveEvent) -> None:
        """Make `event` visible to every subscriber of its user (and session), here and in
        other processes. Returns once it is handed over; never waits for subscribers.
        Never raises for a storage problem: a lost event is logged (subscribers that miss
        it can tell from their `Last-Event-ID` and get a `reset`)."""

    @abstractmethod
    async def forget_user(self, user_id: str) -> None:
        """Erase every kept event of the user (they carry message texts), in every process's
        view: for an erased account. Ids of other events stay valid. Raises
        `StorageUnavailable` when the storage cannot be changed."""

    @abstractmethod
    def position(self) -> str:
        """The id of the newest event this process has read (and handed to its subscribers, if
        it has any): a client that resumes from it gets every event published after a
        subscription made now."""

    @abstractmethod
    def subscribe(
        self, *, user_id: str, session_id: str | None, last_event_id: str | None
    ) -> AsyncIterator[LiveEvent]:
        """The user's events (only that session's when `session_id` is given), from now, or
        from just after `last_event_id`. The subscription is registered when this returns, so
        nothing published afterwards is missed. When the bus can no longer tell what came
        after `last_event_id` (too old, or not an id of this bus), the first event yielded has
        kind "reset". With `session_id` None, only the list's kinds (`session`, `deleted`)
        are yielded. Waiting for the next event may be cancelled (e.g. by a timeout) without
        ending the subscription. Close the iterator (`aclose`) to leave."""


@lru_cache(maxsize=1024)
def sse_frame(event: LiveEvent) -> bytes:
    """The event as one SSE message. Cached: every subscriber of an event sends the same bytes,
    encoded once (hashing an event is cheap, its strings and bytes keep their hash)."""
    return b"id: %s\nevent: %s\ndata: %s\n\n" % (
        event.id.encode(),
        event.kind.encode(),
        event.data,
    )
