"""The event bus interface: one implementation per store, so that every process and server on
the same storage sees the same events (contract 3.8)."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

EventKind = Literal["session", "deleted", "message", "delta"]


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
    """Fan-out of live events to subscribers in any process on the same storage."""

    async def open(self) -> None:
        """Start following the shared storage; called once at start."""

    async def close(self) -> None:
        """Stop following; end every subscription."""

    @abstractmethod
    async def publish(self, event: LiveEvent) -> None:
        """Make `event` visible to every subscriber of its user (and session), here and in
        other processes. Returns once it is handed over; never waits for subscribers."""

    @abstractmethod
    def subscribe(
        self, *, user_id: str, session_id: str | None, last_event_id: str | None
    ) -> AsyncIterator[LiveEvent]:
        """The user's events (only that session's when `session_id` is given), from now, or
        from just after `last_event_id`. When the bus can no longer tell what came after
        `last_event_id`, the first event yielded has kind "reset"."""
