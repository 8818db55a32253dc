"""Group reads: the reads of one kind that arrive while such reads are in flight go as one.

As with the group append (`appends`), a read while none of its kind is in flight goes at once,
in its caller's task, as its own statement (`BatchedRead.one`); reads that arrive meanwhile queue,
and a sender task sends what has queued as one statement (`BatchedRead.many`): each parameter an
array, `unnest ... WITH ORDINALITY` and a lateral run of the same SQL for each element, so each
read gets the rows it would have got alone, tagged `ord`. Under load, one round trip and one
statement serve many reads, so the process pays the driver, the pool and the socket once for
them all; PostgreSQL still does each read on its own (identical reads are not merged).

At most `max_in_flight` statements of a kind run at once, so reads keep more than one of the
database's cores busy while the rest queue behind them. A batch that fails for a reason of its
own (not an unreachable database) runs each read alone, so that one read's error is not the
others'.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from string import Template

from psycopg.rows import DictRow

from cora.errors import StorageUnavailable
from cora.metrics import READ_BATCH
from cora.store.postgres.database import PostgresDatabase, unreachable
from cora.store.postgres.pending import Pending, send_in_batches

logger = logging.getLogger(__name__)

MAX_BATCH = 64
MAX_IN_FLIGHT = 2

ReadParams = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class BatchedRead:
    """One kind of read: `one` for a read alone (named parameters), `many` for several (each
    parameter an array of the same name; rows tagged `ord`, the read's place from 1)."""

    name: str
    one: str
    many: str


def batched_read(name: str, template: str, parameters: Mapping[str, str]) -> BatchedRead:
    """Both statements of a read from one SQL `template` whose `$name` placeholders stand for
    `parameters` (name -> PostgreSQL type). The template answers at most one row."""
    alone = {key: f"%({key})s" for key in parameters}
    arrays = ", ".join(f"%({key})s::{kind}[]" for key, kind in parameters.items())
    columns = ", ".join(f"p_{key}" for key in parameters)
    each = {key: f"r.p_{key}" for key in parameters}
    lateral = Template(template).substitute(each)
    many = (
        f"SELECT r.ord, one.* FROM unnest({arrays})"  # noqa: S608 (the values are parameters)
        f" WITH ORDINALITY AS r({columns}, ord) CROSS JOIN LATERAL ({lateral}) AS one"
    )
    return BatchedRead(name, Template(template).substitute(alone), many)


class ReadBatcher:
    def __init__(
        self,
        database: PostgresDatabase,
        read: BatchedRead,
        *,
        max_batch: int = MAX_BATCH,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self._db = database
        self._read = read
        self._batch_sizes = READ_BATCH.labels(read.name)  # looked up once, not per read
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._in_flight = 0
        self._queue: deque[Pending[ReadParams]] = deque()
        self._senders: set[asyncio.Task[None]] = set()

    async def read(self, params: ReadParams) -> DictRow | None:
        """The read's row (None: it has none)."""
        if self._in_flight == 0:
            return await self._read_alone(params)
        pending = Pending(params)
        self._queue.append(pending)
        self._start_sender()
        return await pending.answer

    async def close(self) -> None:
        """Wait for what is queued or in flight."""
        while self._senders:
            await asyncio.gather(*self._senders, return_exceptions=True)

    async def _read_alone(self, params: ReadParams) -> DictRow | None:
        """In the caller's own task, when nothing else is in flight: a lone read pays no hand-off.
        (Under load, reads go through a sender task: by the time it runs, more have queued.)"""
        self._in_flight += 1
        try:
            self._batch_sizes.observe(1)
            return await self._fetch_one(params)
        finally:
            self._in_flight -= 1
            self._start_sender()

    def _start_sender(self) -> None:
        """A task for what has queued, if a statement may start."""
        if self._queue and self._in_flight < self._max_in_flight:
            self._in_flight += 1
            sender = asyncio.create_task(self._send_queued(), name=f"cora-{self._read.name}")
            self._senders.add(sender)
            sender.add_done_callback(self._senders.discard)

    async def _send_queued(self) -> None:
        try:
            await send_in_batches(self._queue, self._max_batch, self._send)
        finally:
            self._in_flight -= 1

    async def _send(self, batch: Sequence[Pending[ReadParams]]) -> None:
        self._batch_sizes.observe(len(batch))
        if len(batch) == 1:
            batch[0].settle(await self._fetch_one(batch[0].params))
            return
        columns = {key: [p.params[key] for p in batch] for key in batch[0].params}
        try:
            rows = await self._db.fetch_all_repeatable(self._read.many, columns)
        except StorageUnavailable as error:
            if unreachable(error):  # each read alone would meet it as well
                raise
            logger.info("a batch of %d reads failed; each runs alone: %s", len(batch), error)
            await self._send_each_alone(batch)
            return
        answered = {row["ord"]: row for row in rows}
        for ord_, pending in enumerate(batch, start=1):
            pending.settle(answered.get(ord_))

    async def _send_each_alone(self, batch: Sequence[Pending[ReadParams]]) -> None:
        for pending in batch:
            try:
                pending.settle(await self._fetch_one(pending.params))
            except Exception as error:
                pending.settle(error=error)

    async def _fetch_one(self, params: ReadParams) -> DictRow | None:
        return await self._db.fetch_one_repeatable(self._read.one, params)
