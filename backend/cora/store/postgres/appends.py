"""Group append: the appends of one process that arrive while a batch is in flight go as one.

`append` queues its call's arguments (`append_params`) and waits for its row. One task sends
what has queued: alone (nothing else was waiting), the call of `cora_append_message` an append
made before; two or more, one call of `cora_append_messages` (migration 0009), which answers each
with the row `cora_append_message` would have given it. So a lone append goes at once, and under
concurrency one round trip and one commit serve every append that came meanwhile.

An append the batch could not do is done alone, as before: one to a session whose row another
transaction holds ('busy': the batch does not wait for locks), and each of a batch that failed
as a whole. While a session has appends waiting to be done alone, later appends to it join them,
so the appends to one session are stored in the order they came.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg.rows import DictRow

from cora.errors import StorageUnavailable
from cora.metrics import APPEND_BATCH, APPENDS_ALONE
from cora.store.postgres import queries as q
from cora.store.postgres.database import PostgresDatabase, unreachable
from cora.store.postgres.pending import Pending, send_in_batches

logger = logging.getLogger(__name__)

MAX_BATCH = 128


@dataclass(slots=True)
class _Append(Pending[Sequence[object]]):
    session_id: str = field(kw_only=True)


class AppendBatcher:
    def __init__(self, database: PostgresDatabase, max_batch: int = MAX_BATCH) -> None:
        self._db = database
        self._max_batch = max_batch
        self._queue: deque[_Append] = deque()
        self._sender: asyncio.Task[None] | None = None
        self._alone: dict[str, deque[_Append]] = {}  # session id -> its appends done alone
        self._tasks: set[asyncio.Task[None]] = set()

    async def append(self, session_id: str, params: Sequence[object]) -> DictRow:
        """`cora_append_message`'s row for these arguments (`append_params`)."""
        append = _Append(params, session_id=session_id)
        waiting = self._alone.get(session_id)
        if waiting is not None:
            waiting.append(append)
        else:
            self._queue.append(append)
            if self._sender is None:
                self._sender = self._start(self._send_queued(), "cora-appends")
        row = await append.answer
        assert row is not None  # each append gets its row
        return row

    async def close(self) -> None:
        """Wait for what is queued or in flight."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _start(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _send_queued(self) -> None:
        try:
            await send_in_batches(self._queue, self._max_batch, self._send)
        finally:
            self._sender = None

    async def _send(self, batch: list[_Append]) -> None:
        APPEND_BATCH.observe(len(batch))
        if len(batch) == 1:
            await self._send_one(batch[0])
            return
        columns = [list(column) for column in zip(*(a.params for a in batch), strict=True)]
        try:
            rows = await self._db.fetch_all_repeatable(q.APPEND_MESSAGES, columns)
        except StorageUnavailable as error:
            if unreachable(error):  # each append alone would meet it as well
                for append in batch:
                    append.settle(error=StorageUnavailable(str(error)))
                return
            self._do_alone(batch, error)
            return
        except Exception as error:
            self._do_alone(batch, error)
            return
        assert len(rows) == len(batch), "cora_append_messages answers each append"
        busy = []
        for row in rows:
            append = batch[row["ord"] - 1]
            if row["outcome"] == "busy":
                busy.append(append)
            else:
                append.settle(row)
        if busy:
            self._do_alone(busy)

    async def _send_one(self, append: _Append) -> None:
        """`append` as one call of `cora_append_message`."""
        try:
            row = await self._db.fetch_one_repeatable(q.APPEND_MESSAGE, append.params)
        except Exception as error:
            append.settle(error=error)
        else:
            append.settle(row)

    def _do_alone(self, appends: list[_Append], failure: Exception | None = None) -> None:
        """Each of `appends` in a call of its own, in order for each session; what is queued for
        their sessions joins them, behind. `failure`: why their batch failed (else: busy)."""
        if failure is not None:
            logger.info("a batch of %d appends failed; each runs alone: %s", len(appends), failure)
        APPENDS_ALONE.labels("busy" if failure is None else "failed").inc(len(appends))
        sessions = {append.session_id for append in appends}
        queued = [a for a in self._queue if a.session_id in sessions]
        if queued:  # in place: the sender's loop holds this queue
            kept = [a for a in self._queue if a.session_id not in sessions]
            self._queue.clear()
            self._queue.extend(kept)
        for append in [*appends, *queued]:
            waiting = self._alone.get(append.session_id)
            if waiting is None:
                self._alone[append.session_id] = deque([append])
                self._start(self._send_alone(append.session_id), "cora-append-alone")
            else:
                waiting.append(append)

    async def _send_alone(self, session_id: str) -> None:
        waiting = self._alone[session_id]
        try:
            while waiting:
                await self._send_one(waiting.popleft())
        finally:
            del self._alone[session_id]
            for append in waiting:  # only when cancelled
                append.settle(error=StorageUnavailable())
