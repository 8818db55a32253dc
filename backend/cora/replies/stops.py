"""Stop requests for replies being written, seen by every process on the same storage.

`POST .../chat/stop` may reach any worker or server; the reply's writer checks for a request
at each flush (at least every second) and ends the reply with the text so far. One
implementation per store: marker files in the data directory, a table in PostgreSQL.
"""

from abc import ABC, abstractmethod


class StopSignals(ABC):
    async def open(self) -> None:
        """Prepare the storage; called once at start."""

    async def close(self) -> None:
        """Release what `open` took."""

    @abstractmethod
    async def request(self, *, message_id: str) -> None:
        """Ask the writer of reply `message_id` to stop; returns once any process can see it.
        Raises `StorageUnavailable` or `StorageFull`."""

    @abstractmethod
    async def requested(self, *, message_id: str) -> bool:
        """Whether a stop of reply `message_id` was asked for (and not cleared since).
        Raises `StorageUnavailable`."""

    @abstractmethod
    async def clear(self, *, message_id: str) -> None:
        """Forget the request for reply `message_id` (it has ended); nothing if there is none."""

    @abstractmethod
    async def clear_older_than(self, *, seconds: float) -> int:
        """Forget requests older than `seconds` (their replies have long ended); how many."""
