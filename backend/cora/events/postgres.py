"""The event bus of a PostgreSQL database: a table of events, `NOTIFY` to wake the readers.

A publisher hands its event to a per-process writer task, which inserts what has queued up in
one transaction under an advisory lock (so ids are committed in id order and a reader that has
seen id N never sees a smaller one later) and `NOTIFY`s, all in one call of the SQL function
`cora_publish_events`. Each process has one reader with a `LISTEN` connection of its own: on
each notification (and every `poll_seconds` anyway) it fetches the rows after the last id it has
seen and hands them to its subscribers. After a lost connection it reconnects and fetches what
it missed. Old rows are pruned periodically; the horizon table says up to which id, so that a
resume from before it gets a `reset`.
"""

import asyncio
import contextlib
import logging
import zlib
from collections import deque

import psycopg
from psycopg import sql

from cora.errors import CoraError
from cora.events.base import EVENT_KINDS, LiveEvent
from cora.events.fanout import SUBSCRIBER_QUEUE, FollowingBus, Position
from cora.store.postgres.database import PostgresDatabase
from cora.store.postgres.rows import Connection

logger = logging.getLogger(__name__)

KEEP_EVENTS = 100_000
PRUNE_SECONDS = 60.0
POLL_SECONDS = 2.0
BATCH = 500
FETCH = 1000
MAX_PENDING = 100_000
RECONNECT_SECONDS = (0.2, 5.0)

# Lock, insert and NOTIFY in one statement, its own transaction (migration 0008).
PUBLISH = "SELECT cora_publish_events(%s, %s, %b::text[], %b::text[], %b::text[], %b::bytea[])"
FETCH_AFTER = """
SELECT id, kind, user_id, session_id, data FROM live_events WHERE id > %s ORDER BY id LIMIT %s
"""
PRUNE = """
WITH cut AS (SELECT max(id) - %s AS through FROM live_events),
gone AS (DELETE FROM live_events WHERE id <= (SELECT through FROM cut))
UPDATE live_events_horizon SET pruned_through = (SELECT through FROM cut)
WHERE (SELECT through FROM cut) > pruned_through
"""


class PostgresEventBus(FollowingBus):
    def __init__(
        self,
        database: PostgresDatabase,
        *,
        keep_events: int = KEEP_EVENTS,
        prune_seconds: float = PRUNE_SECONDS,
        poll_seconds: float = POLL_SECONDS,
        queue_size: int = SUBSCRIBER_QUEUE,
    ) -> None:
        super().__init__(queue_size=queue_size)
        self._database = database
        self._keep_events = keep_events
        self._prune_seconds = prune_seconds
        self._poll_seconds = poll_seconds
        namespace = (database.schema or "public").encode()
        self._channel = f"cora_events_{zlib.crc32(namespace):08x}"
        self._lock_key = 0x436F7261_00000000 + zlib.crc32(b"events:" + namespace)
        self._pending: deque[LiveEvent] = deque()
        self._idle = asyncio.Event()
        self._idle.set()
        self._wake_writer = asyncio.Event()
        self._last_id = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def open(self) -> None:
        await self._database.open()
        try:
            async with self._database.connection() as conn:
                cursor = await conn.execute("SELECT coalesce(max(id), 0) AS last FROM live_events")
                row = await cursor.fetchone()
        except BaseException:
            await self._database.close()
            raise
        self._last_id = int(row["last"]) if row else 0
        listening = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._follow(listening), name="cora-events-reader"),
            asyncio.create_task(self._write(), name="cora-events-writer"),
            asyncio.create_task(self._prune_periodically(), name="cora-events-pruner"),
        ]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._poll_seconds):
                await listening.wait()

    async def close(self) -> None:
        with contextlib.suppress(TimeoutError):  # what is queued is written first
            async with asyncio.timeout(2):
                await self._idle.wait()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._fanout.end_all()
        await self._database.close()

    async def publish(self, event: LiveEvent) -> None:
        if len(self._pending) >= MAX_PENDING:
            self._pending.popleft()
            logger.warning("live events not written fast enough; the oldest is dropped")
        self._pending.append(event)
        self._idle.clear()
        self._wake_writer.set()

    async def forget_user(self, user_id: str) -> None:
        async with self._database.transaction() as conn:
            await conn.execute("DELETE FROM live_events WHERE user_id = %s", (user_id,))

    # --- writing -------------------------------------------------------------------------

    async def _write(self) -> None:
        while True:
            await self._wake_writer.wait()
            self._wake_writer.clear()
            while self._pending:
                batch = [self._pending.popleft() for _ in range(min(BATCH, len(self._pending)))]
                try:
                    await self._insert(batch)
                except CoraError as error:
                    logger.warning("%d live events not written: %s", len(batch), error)
                    await asyncio.sleep(RECONNECT_SECONDS[0])
            if not self._pending:
                self._idle.set()

    async def _insert(self, batch: list[LiveEvent]) -> None:
        columns = (
            [event.kind for event in batch],
            [event.user_id for event in batch],
            [event.session_id for event in batch],
            [event.data for event in batch],
        )
        async with self._database.connection() as conn:
            await conn.execute(PUBLISH, (self._lock_key, self._channel, *columns), prepare=True)

    async def _prune_periodically(self) -> None:
        while True:
            await asyncio.sleep(self._prune_seconds)
            try:
                await self.prune()
            except CoraError as error:
                logger.warning("old live events not pruned: %s", error)

    async def prune(self) -> None:
        """Delete all but the newest `keep_events` events."""
        async with self._database.connection() as conn:
            await conn.execute(PRUNE, (self._keep_events,))

    # --- reading -------------------------------------------------------------------------

    async def _follow(self, listening: asyncio.Event) -> None:
        delay = RECONNECT_SECONDS[0]
        while True:
            try:
                conn = await self._database.dedicated_connection()
                async with conn:
                    await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    listening.set()
                    delay = RECONNECT_SECONDS[0]
                    while True:
                        await self._fetch_new(conn)
                        async for _ in conn.notifies(timeout=self._poll_seconds, stop_after=1):
                            pass
            except (CoraError, psycopg.Error, OSError) as error:
                logger.warning("live events: connection lost, reconnecting: %s", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_SECONDS[1])

    async def _fetch_new(self, conn: Connection) -> None:
        while True:
            cursor = await conn.execute(FETCH_AFTER, (self._last_id, FETCH))
            rows = await cursor.fetchall()
            for count, row in enumerate(rows, 1):
                self._last_id = row["id"]
                event = _event(row)
                if event is not None:
                    self._fanout.dispatch(event, (self._last_id,))
                if count % self._dispatch_burst == 0:
                    await asyncio.sleep(0)  # let subscribers drain their queues
            if len(rows) < FETCH:
                return

    def _read_position(self) -> tuple[Position, str]:
        return (self._last_id,), str(self._last_id)

    def _parse_id(self, event_id: str) -> Position | None:
        return (int(event_id),) if event_id.isdigit() and len(event_id) < 19 else None

    async def _past_end(self, after: Position) -> bool:
        async with self._database.transaction(snapshot=True) as conn:
            cursor = await conn.execute(
                "SELECT greatest((SELECT max(id) FROM live_events),"
                " (SELECT pruned_through FROM live_events_horizon)) AS last"
            )
            row = await cursor.fetchone()
        last = row["last"] if row is not None else None
        return last is None or after[0] > last

    async def _events_between(
        self, after: Position, until: Position, *, user_id: str, session_id: str | None
    ) -> list[LiveEvent] | None:
        query = "SELECT id, kind, user_id, session_id, data FROM live_events WHERE id > %s"
        query += " AND id <= %s AND user_id = %s"
        params: list[object] = [after[0], until[0], user_id]
        if session_id is not None:
            query += " AND session_id = %s"
            params.append(session_id)
        async with self._database.transaction(snapshot=True) as conn:
            cursor = await conn.execute("SELECT pruned_through FROM live_events_horizon")
            horizon = await cursor.fetchone()
            if horizon is not None and after[0] < horizon["pruned_through"]:
                return None
            cursor = await conn.execute(query + " ORDER BY id", params)
            rows = await cursor.fetchall()
        return [event for row in rows if (event := _event(row)) is not None]


def _event(row: dict[str, object]) -> LiveEvent | None:
    kind = row["kind"]
    if kind not in EVENT_KINDS:
        return None
    return LiveEvent(
        kind,  # type: ignore[arg-type]
        str(row["user_id"]),
        str(row["session_id"]),
        bytes(row["data"]),  # type: ignore[call-overload]
        str(row["id"]),
    )
