"""A call waiting in a batch (the group append's, the group reads') for its row, and the loop
that sends such calls in batches."""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from psycopg.rows import DictRow

from cora.errors import StorageUnavailable

P = TypeVar("P")


def _future() -> "asyncio.Future[DictRow | None]":
    return asyncio.get_running_loop().create_future()


@dataclass(slots=True)
class Pending(Generic[P]):
    params: P
    answer: "asyncio.Future[DictRow | None]" = field(default_factory=_future)

    def settle(self, row: DictRow | None = None, error: BaseException | None = None) -> None:
        """Answer the caller with `row` (None: the statement had no row for it) or `error`,
        unless it was cancelled meanwhile."""
        if self.answer.done():
            return
        if isinstance(error, asyncio.CancelledError):
            self.answer.cancel()
        elif error is not None:
            self.answer.set_exception(error)
        else:
            self.answer.set_result(row)


Waiting = TypeVar("Waiting", bound=Pending[Any])


async def send_in_batches(
    queue: "deque[Waiting]", max_batch: int, send: Callable[[list[Waiting]], Awaitable[None]]
) -> None:
    """`send` what is queued, up to `max_batch` calls at a time, until `queue` is empty.

    A batch whose `send` raises answers its callers with the error, and the queue goes on; when
    cancelled, what is still queued is answered `StorageUnavailable`, so nobody is left waiting.
    """
    try:
        while queue:
            batch = [queue.popleft() for _ in range(min(len(queue), max_batch))]
            try:
                await send(batch)
            except BaseException as error:
                for pending in batch:
                    pending.settle(error=error)
                if not isinstance(error, Exception):
                    raise
    except BaseException:
        for pending in queue:
            pending.settle(error=StorageUnavailable())
        queue.clear()
        raise
