"""The subscribers of one process, for a bus whose events are kept in shared storage and read
back by one task per process: bounded queues, a `reset` for a subscriber that falls behind, and
the replay of what a resuming subscriber missed."""

import asyncio
from abc import abstractmethod
from collections import deque
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from cora.events.base import EventBus, LiveEvent

# Where an event is in the bus's total order; positions of later events compare greater.
Position = tuple[int, ...]
Replay = Callable[[], Awaitable[list[LiveEvent]]]

SUBSCRIBER_QUEUE = 1000
# A reader hands over at most this many events before it lets subscribers run.
DISPATCH_BURST = 100
LIST_KINDS = frozenset(("session", "deleted"))


def wants(event: LiveEvent, user_id: str, session_id: str | None) -> bool:
    """Whether a subscriber gets the event: a session's stream gets every kind for that
    session, the list's stream only `session` and `deleted` of any of the user's sessions."""
    if event.user_id != user_id:
        return False
    if session_id is None:
        return event.kind in LIST_KINDS
    return event.session_id == session_id


def reset_event(user_id: str, session_id: str | None, event_id: str) -> LiveEvent:
    return LiveEvent("reset", user_id, session_id or "", b"{}", event_id)


class Subscription:
    """One subscriber, registered from its creation until `aclose()` or the bus closes."""

    def __init__(
        self,
        fanout: "Fanout",
        *,
        user_id: str,
        session_id: str | None,
        after: Position | None,
        replay: Replay | None,
        queue_size: int,
    ) -> None:
        self.user_id = user_id
        self.session_id = session_id
        self._fanout = fanout
        self._after = after  # live events up to here come from the replay instead
        self._replay = replay
        self._queue: deque[LiveEvent] = deque()
        self._queue_size = queue_size
        self._wakeup = asyncio.Event()
        self._ended = False
        fanout.add(self)

    def offer(self, event: LiveEvent, position: Position) -> None:
        if self._after is not None:
            if position <= self._after:
                return
            self._after = None
        if len(self._queue) >= self._queue_size:
            self._queue.clear()
            self._queue.append(reset_event(self.user_id, self.session_id, event.id))
        else:
            self._queue.append(event)
        self._wakeup.set()

    def reset(self, event_id: str) -> None:
        self._queue.clear()
        self._queue.append(reset_event(self.user_id, self.session_id, event_id))
        self._wakeup.set()

    def end(self) -> None:
        self._ended = True
        self._wakeup.set()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> LiveEvent:
        if self._replay is not None:  # kept until done: a cancelled wait replays again
            replayed = await self._replay()
            self._replay = None
            if replayed and replayed[0].kind == "reset":
                self._after = None  # nothing to skip: what follows the reset is all new
            self._queue.extendleft(reversed(replayed))
        while not self._queue:
            if self._ended:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._queue.popleft()

    def drain(self) -> list[LiveEvent]:
        """Every event queued now, without waiting: a stream sends them in one write."""
        queued = list(self._queue)
        self._queue.clear()
        return queued

    async def aclose(self) -> None:
        self._fanout.remove(self)
        self.end()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


class Fanout:
    """This process's subscribers, by user."""

    def __init__(self) -> None:
        self._by_user: dict[str, set[Subscription]] = {}

    def add(self, subscription: Subscription) -> None:
        self._by_user.setdefault(subscription.user_id, set()).add(subscription)

    def remove(self, subscription: Subscription) -> None:
        subscribers = self._by_user.get(subscription.user_id)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._by_user[subscription.user_id]

    def listening(self) -> bool:
        """Whether anyone in this process is subscribed (else new events need no decoding)."""
        return bool(self._by_user)

    def dispatch(self, event: LiveEvent, position: Position) -> None:
        for subscription in self._by_user.get(event.user_id, ()):
            if wants(event, subscription.user_id, subscription.session_id):
                subscription.offer(event, position)

    def reset_all(self, event_id: str) -> None:
        for subscribers in self._by_user.values():
            for subscription in subscribers:
                subscription.reset(event_id)

    def end_all(self) -> None:
        for subscribers in self._by_user.values():
            for subscription in subscribers:
                subscription.end()
        self._by_user.clear()

    def count(self) -> int:
        return sum(len(subscribers) for subscribers in self._by_user.values())


class FollowingBus(EventBus):
    """A bus that keeps events in shared storage, in an order given by their positions, and
    follows it with one reader per process that hands each new event to the `Fanout`."""

    def __init__(self, *, queue_size: int = SUBSCRIBER_QUEUE) -> None:
        self._fanout = Fanout()
        self._queue_size = queue_size
        # Half a queue at most between two chances to drain it: a subscriber that keeps up is
        # never reset by one burst of events, however far the reader fell behind.
        self._dispatch_burst = max(1, min(DISPATCH_BURST, queue_size // 2))

    @abstractmethod
    def _read_position(self) -> tuple[Position, str]:
        """Where the reader is: the position and id of the last event it read (handed to the
        fan-out, or stepped over when no one here listens)."""

    @abstractmethod
    def _parse_id(self, event_id: str) -> Position | None:
        """The position an event id names, or None when it is not an id of this bus."""

    def _end_of_log(self) -> Position | None:
        """Where the shared storage ends now, when the reader may lag behind it: a new
        subscription skips what was published before it (None: the reader is the end)."""
        return None

    async def _past_end(self, after: Position) -> bool:
        """Whether `after`, ahead of this reader, is past the end of the shared log too: no
        event had that id (the log was reset or restored since). A reader that is the log's
        end (this default) knows it is; a shared log says where it ends."""
        return True

    @abstractmethod
    async def _events_between(
        self, after: Position, until: Position, *, user_id: str, session_id: str | None
    ) -> list[LiveEvent] | None:
        """The user's events after `after` up to `until` (included) in order (they may include
        events the subscriber does not want), or None when some are no longer kept."""

    def subscribe(
        self, *, user_id: str, session_id: str | None, last_event_id: str | None
    ) -> Subscription:
        after = self._end_of_log()
        replay: Replay | None = None
        if last_event_id is not None:
            until, until_id = self._read_position()
            after = self._parse_id(last_event_id)
            replay = self._replayer(after, until, until_id, user_id, session_id)
        return Subscription(
            self._fanout,
            user_id=user_id,
            session_id=session_id,
            after=after,
            replay=replay,
            queue_size=self._queue_size,
        )

    def position(self) -> str:
        return self._read_position()[1]

    def subscriber_count(self) -> int:
        return self._fanout.count()

    def _replayer(
        self,
        after: Position | None,
        until: Position,
        until_id: str,
        user_id: str,
        session_id: str | None,
    ) -> Replay:
        async def replay() -> list[LiveEvent]:
            missed: list[LiveEvent] | None = None  # None: an unknown id
            if after is None or (after > until and await self._past_end(after)):
                missed = None
            elif after >= until:
                missed = []  # caught up, or this reader lags behind the server that gave it
            else:
                missed = await self._events_between(
                    after, until, user_id=user_id, session_id=session_id
                )
            if missed is None:
                return [reset_event(user_id, session_id, until_id)]
            return [event for event in missed if wants(event, user_id, session_id)]

        return replay
