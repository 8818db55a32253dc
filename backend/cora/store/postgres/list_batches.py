"""Group list: the lists of one process that arrive while its lists are in flight go as one.

As with the group append (`appends`), a lone list goes at once, as one call of `cora_list_page`;
lists that queued meanwhile go as one call of `cora_list_pages` (migration 0010), which answers
each with the row `cora_list_page` would have given it. Under load, one round trip and one
statement serve many lists, so the process pays the driver, the pool and the socket once for
them all; PostgreSQL still reads each page on its own (identical lists are not merged).

At most `max_in_flight` calls run at once (a list while none is in flight runs in its caller's
task, the others in a sender task), so lists keep more than one of the database's cores busy
while the rest queue behind them.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Sequence

from psycopg.rows import DictRow

from cora.errors import StorageUnavailable
from cora.metrics import LIST_BATCH
from cora.store.postgres import queries as q
from cora.store.postgres.database import PostgresDatabase, unreachable
from cora.store.postgres.pending import Pending, send_in_batches

logger = logging.getLogger(__name__)

MAX_BATCH = 64
MAX_IN_FLIGHT = 2

ListParams = tuple[str, bool | None, bool, int, object, object]


class ListBatcher:
    def __init__(
        self,
        database: PostgresDatabase,
        *,
        max_batch: int = MAX_BATCH,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self._db = database
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._in_flight = 0
        self._queue: deque[Pending[ListParams]] = deque()
        self._senders: set[asyncio.Task[None]] = set()

    async def page(self, params: ListParams) -> DictRow:
        """`cora_list_page`'s row for these arguments."""
        if self._in_flight == 0:
            return await self._page_alone(params)
        pending = Pending(params)
        self._queue.append(pending)
        self._start_sender()
        return await pending.answer

    async def close(self) -> None:
        """Wait for what is queued or in flight."""
        while self._senders:
            await asyncio.gather(*self._senders, return_exceptions=True)

    async def _page_alone(self, params: ListParams) -> DictRow:
        """In the caller's own task, when nothing else is in flight: a lone list pays no hand-off.
        (Under load, lists go through a sender task: by the time it runs, more have queued.)"""
        self._in_flight += 1
        try:
            LIST_BATCH.observe(1)
            return await self._fetch_page(params)
        finally:
            self._in_flight -= 1
            self._start_sender()

    def _start_sender(self) -> None:
        """A task for what has queued, if a call may start."""
        if self._queue and self._in_flight < self._max_in_flight:
            self._in_flight += 1
            sender = asyncio.create_task(self._send_queued(), name="cora-lists")
            self._senders.add(sender)
            sender.add_done_callback(self._senders.discard)

    async def _send_queued(self) -> None:
        try:
            await send_in_batches(self._queue, self._max_batch, self._send)
        finally:
            self._in_flight -= 1

    async def _send(self, batch: Sequence[Pending[ListParams]]) -> None:
        LIST_BATCH.observe(len(batch))
        if len(batch) == 1:
            batch[0].settle(await self._fetch_page(batch[0].params))
            return
        columns = [list(column) for column in zip(*(p.params for p in batch), strict=True)]
        try:
            rows = await self._db.fetch_all_repeatable(q.SELECT_PAGES_JSON, columns)
        except StorageUnavailable as error:
            if unreachable(error):  # each list alone would meet it as well
                raise
            logger.info("a batch of %d lists failed; each runs alone: %s", len(batch), error)
            await self._send_each_alone(batch)
            return
        assert len(rows) == len(batch), "cora_list_pages answers each list"
        for row in rows:
            batch[row["ord"] - 1].settle(row)

    async def _send_each_alone(self, batch: Sequence[Pending[ListParams]]) -> None:
        """So that one list whose statement fails does not fail the others."""
        for pending in batch:
            try:
                pending.settle(await self._fetch_page(pending.params))
            except Exception as error:
                pending.settle(error=error)

    async def _fetch_page(self, params: ListParams) -> DictRow:
        row = await self._db.fetch_one_repeatable(q.SELECT_PAGE_JSON, params)
        assert row is not None  # the function's one row
        return row
