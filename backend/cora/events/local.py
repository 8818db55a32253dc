"""Events within one process: for a single process and for tests that need no shared storage."""

from cora.events.base import LiveEvent
from cora.events.fanout import SUBSCRIBER_QUEUE, FollowingBus, Position


class InProcessEventBus(FollowingBus):
    """Nothing is kept: a resume after any event but the newest gets a `reset`."""

    def __init__(self, *, queue_size: int = SUBSCRIBER_QUEUE) -> None:
        super().__init__(queue_size=queue_size)
        self._last = 0

    async def publish(self, event: LiveEvent) -> None:
        self._last += 1
        numbered = LiveEvent(
            event.kind, event.user_id, event.session_id, event.data, str(self._last)
        )
        self._fanout.dispatch(numbered, (self._last,))

    async def forget_user(self, user_id: str) -> None:
        """Nothing is kept."""

    def _read_position(self) -> tuple[Position, str]:
        return (self._last,), str(self._last)

    def _parse_id(self, event_id: str) -> Position | None:
        return (int(event_id),) if event_id.isdigit() and len(event_id) < 19 else None

    async def _events_between(
        self, after: Position, until: Position, *, user_id: str, session_id: str | None
    ) -> list[LiveEvent] | None:
        return None
