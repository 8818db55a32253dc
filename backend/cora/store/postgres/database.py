"""One connection pool, shared by the session, account and log-in stores of a process."""

import asyncio
import logging
import math
import select
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar, cast

import orjson
from psycopg import AsyncConnection, OperationalError, sql
from psycopg.rows import DictRow, dict_row
from psycopg.types.json import set_json_loads
from psycopg_pool import AsyncConnectionPool

from cora.config import Settings
from cora.errors import StorageUnavailable
from cora.store.postgres.failures import storage_errors
from cora.store.postgres.loaders import register_loaders
from cora.store.postgres.migrations import apply_migrations
from cora.store.postgres.rows import Connection

T = TypeVar("T")
Params = Sequence[object] | Mapping[str, object]

logger = logging.getLogger(__name__)

# How long the pool keeps retrying a lost connection before it leaves the slot to new demand;
# short, so that recovery after a long outage does not wait out a long back-off.
RECONNECT_SECONDS = 10.0
MIN_CONNECT_TIMEOUT = 2  # libpq's own floor
IDLE_IN_TRANSACTION_SECONDS = 60
# admin_shutdown, crash_shutdown, cannot_connect_now: the server is ending the connection.
ENDING_CONNECTION = frozenset(("57P01", "57P02", "57P03"))


class PostgresDatabase:
    """Opened by the first store that opens it, closed by the last that closes it."""

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 4.0,
    ) -> None:
        self._url = url
        self._schema = schema
        self._min_size = min_size
        self._max_size = max_size
        self._timeout = timeout
        self._pool: AsyncConnectionPool[Connection] | None = None
        self._users = 0
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "PostgresDatabase":
        assert settings.database_url, "Settings require a URL for storage 'postgres'"
        return cls(
            settings.database_url,
            schema=settings.database_schema,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            timeout=settings.db_timeout_seconds,
        )

    @property
    def schema(self) -> str | None:
        return self._schema

    async def open(self) -> None:
        async with self._lock:
            if self._users == 0:
                self._pool = await self._open_pool()
            self._users += 1

    async def close(self) -> None:
        async with self._lock:
            self._users -= 1
            if self._users == 0 and self._pool is not None:
                await self._pool.close()
                self._pool = None

    async def _open_pool(self) -> AsyncConnectionPool[Connection]:
        pool = AsyncConnectionPool(
            self._url,
            connection_class=AsyncConnection[DictRow],
            kwargs=connection_options(self._timeout),
            min_size=self._min_size,
            max_size=self._max_size,
            timeout=self._timeout,
            reconnect_timeout=RECONNECT_SECONDS,
            check=check_if_spoken_to,
            configure=self._configure,
            name="cora",
            open=False,
        )
        try:
            with storage_errors():
                await pool.open()
                async with pool.connection() as conn:
                    applied = await apply_migrations(conn, schema=self._schema)
        except BaseException:
            await pool.close()
            raise
        if applied:
            logger.info("database schema migrated", extra={"applied": applied})
        return pool

    async def _configure(self, conn: Connection) -> None:
        set_json_loads(orjson.loads, conn)
        register_loaders(conn.adapters)
        await conn.execute(session_settings(self._schema))

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """A connection in autocommit mode: each statement is its own transaction."""
        with storage_errors():
            async with self._require_pool().connection() as conn:
                yield conn

    async def fetch_one_repeatable(self, query: str, params: Params) -> DictRow | None:
        """The first row of one prepared statement in its own transaction, run again on another
        connection while the one it ran on turns out lost: a restart or a killed backend ends
        every idle connection, and a checkout may hand one out just before the pool hears so.
        Each lost connection leaves the pool, so the pool's size bounds the tries.
        Only for statements that may run twice with the same outcome."""
        return await self._repeatable(_fetch_one, query, params)

    async def fetch_all_repeatable(self, query: str, params: Params) -> list[DictRow]:
        """All rows of one prepared statement in its own transaction, run again as
        `fetch_one_repeatable` runs its statement."""
        return await self._repeatable(_fetch_all, query, params)

    async def _repeatable(
        self,
        fetch: Callable[[Connection, str, Params], Awaitable[T]],
        query: str,
        params: Params,
    ) -> T:
        with storage_errors():
            for _ in range(self._max_size):
                async with self._require_pool().connection() as conn:
                    try:
                        return await fetch(conn, query, params)
                    except OperationalError as error:
                        if not lost(conn, error):
                            raise
                        logger.info("database connection lost, statement run again: %s", error)
            async with self._require_pool().connection() as conn:
                return await fetch(conn, query, params)

    @asynccontextmanager
    async def transaction(self, *, snapshot: bool = False) -> AsyncIterator[Connection]:
        """A connection inside one transaction; `snapshot`: read-only, one consistent view."""
        async with self.connection() as conn, conn.transaction():
            if snapshot:
                await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    async def dedicated_connection(self) -> Connection:
        """A connection of its own, outside the pool, set up like pooled ones (for `LISTEN`, named
        `cora-events` unless the URL names it);
        the caller closes it. Raises `StorageUnavailable` when the server cannot be reached."""
        with storage_errors():
            options: dict[str, Any] = {
                **connection_options(self._timeout),
                "fallback_application_name": "cora-events",
            }
            conn = cast(Connection, await AsyncConnection.connect(self._url, **options))
            try:
                await self._configure(conn)
            except BaseException:
                await conn.close()
                raise
        return conn

    def pool_stats(self) -> dict[str, int]:
        """psycopg_pool's figures (`pool_size`, `pool_available`, `requests_waiting`...)."""
        return self._pool.get_stats() if self._pool is not None else {}

    async def ping(self) -> None:
        async with self.connection() as conn:
            await conn.execute("SELECT 1")

    def _require_pool(self) -> AsyncConnectionPool[Connection]:
        if self._pool is None:
            raise StorageUnavailable("The database connection pool is not open")
        return self._pool


async def check_if_spoken_to(conn: Connection) -> None:
    """The pool's check at each checkout. An idle connection hears nothing from its server unless
    the server is ending it (a restart or `pg_terminate_backend` sends an error, then closes it)
    or its socket failed (keepalives, reset): only then does the round trip of psycopg_pool's
    check decide whether it is handed out or replaced."""
    if not _has_input(conn.pgconn.socket):
        return
    await AsyncConnectionPool.check_connection(conn)


async def _fetch_one(conn: Connection, query: str, params: Params) -> DictRow | None:
    cursor = await conn.execute(query, params, prepare=True)
    return await cursor.fetchone()


async def _fetch_all(conn: Connection, query: str, params: Params) -> list[DictRow]:
    cursor = await conn.execute(query, params, prepare=True)
    return await cursor.fetchall()


def lost(conn: Connection, error: OperationalError) -> bool:
    """`error` came from a connection that is gone or being ended by its server."""
    return conn.broken or error.sqlstate in ENDING_CONNECTION


def unreachable(error: StorageUnavailable) -> bool:
    """The database could not be reached or did not answer (no connection from the pool in
    time, a connection lost twice), as opposed to an error of the statement itself."""
    cause = error.__cause__
    if cause is None:  # the pool is closed
        return True
    if not isinstance(cause, OperationalError):
        return False
    state = cause.sqlstate
    return state is None or state.startswith("08") or state in ENDING_CONNECTION


def _has_input(fd: int) -> bool:
    """Something to read on `fd` (data, end of file or an error), without waiting."""
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


def connection_options(timeout: float) -> dict[str, object]:
    """libpq options that bound every wait on the network, whatever the URL says."""
    return {
        "autocommit": True,
        "row_factory": dict_row,
        "connect_timeout": max(MIN_CONNECT_TIMEOUT, math.ceil(timeout)),
        "tcp_user_timeout": math.ceil(timeout * 1000),
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "fallback_application_name": "cora",
    }


def session_settings(schema: str | None) -> sql.Composed:
    statements: list[sql.Composable] = [
        sql.SQL("SET TIME ZONE 'UTC'"),
        # A process frozen inside a transaction must not hold a session's row lock for ever.
        sql.SQL("SET idle_in_transaction_session_timeout = {}").format(
            sql.Literal(f"{IDLE_IN_TRANSACTION_SECONDS}s")
        ),
    ]
    if schema is not None:
        statements.append(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))
    return sql.SQL("; ").join(statements)
