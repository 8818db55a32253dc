"""Events within one process: the stand-in until a store's own bus is configured."""

import asyncio
import itertools
from collections.abc import AsyncIterator

from cora.events.base import EventBus, LiveEvent

SUBSCRIBER_QUEUE = 1000


class InProcessEventBus(EventBus):
    def __init__(self) -> None:
        self._subscribers: set[tuple[str, str | None, asyncio.Queue[LiveEvent]]] = set()
        self._ids = itertools.count(1)

    async def publish(self, event: LiveEvent) -> None:
        numbered = LiveEvent(
            event.kind, event.user_id, event.session_id, event.data, str(next(self._ids))
        )
        for user_id, session_id, queue in list(self._subscribers):
            if user_id == numbered.user_id and session_id in (None, numbered.session_id):
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(numbered)

    async def subscribe(
        self, *, user_id: str, session_id: str | None, last_event_id: str | None
    ) -> AsyncIterator[LiveEvent]:
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(SUBSCRIBER_QUEUE)
        entry = (user_id, session_id, queue)
        self._subscribers.add(entry)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(entry)
