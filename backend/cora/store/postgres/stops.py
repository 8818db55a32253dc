"""Stop requests as rows of `reply_stops`, seen by every server on the database."""

from cora.domain import is_uuid
from cora.metrics import measure_store
from cora.replies.stops import StopSignals
from cora.store.postgres.database import PostgresDatabase

REQUEST_STOP = "INSERT INTO reply_stops (message_id) VALUES (%s) ON CONFLICT DO NOTHING"
STOP_REQUESTED = "SELECT 1 FROM reply_stops WHERE message_id = %s"
CLEAR_STOP = "DELETE FROM reply_stops WHERE message_id = %s"
CLEAR_OLD_STOPS = "DELETE FROM reply_stops WHERE requested_at < now() - make_interval(secs => %s)"


class PostgresStopSignals(StopSignals):
    def __init__(self, database: PostgresDatabase) -> None:
        self._db = database

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._db.close()

    async def request(self, *, message_id: str) -> None:
        _check(message_id)
        with measure_store("postgres", "request_stop"):
            async with self._db.connection() as conn:
                await conn.execute(REQUEST_STOP, (message_id,))

    async def requested(self, *, message_id: str) -> bool:
        _check(message_id)
        with measure_store("postgres", "stop_requested"):
            async with self._db.connection() as conn:
                cursor = await conn.execute(STOP_REQUESTED, (message_id,))
                return await cursor.fetchone() is not None

    async def clear(self, *, message_id: str) -> None:
        _check(message_id)
        async with self._db.connection() as conn:
            await conn.execute(CLEAR_STOP, (message_id,))

    async def clear_older_than(self, *, seconds: float) -> int:
        async with self._db.connection() as conn:
            cursor = await conn.execute(CLEAR_OLD_STOPS, (seconds,))
            return cursor.rowcount


def _check(message_id: str) -> None:
    if not is_uuid(message_id):
        raise ValueError(f"not a message id: {message_id!r}")
