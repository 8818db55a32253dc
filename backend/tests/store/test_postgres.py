"""What only the PostgreSQL back end has: migrations, the pool, and its edge with the driver."""

import asyncio
import dataclasses
import json
import subprocess
import sys
import time
import uuid
import zlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from prometheus_client import REGISTRY
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg_pool import PoolTimeout
from pydantic import ValidationError

from cora.config import Settings
from cora.domain import AppendResult, MessageRecord, SessionChanges, SessionFilter
from cora.errors import (
    CoraError,
    MessageIdConflict,
    ReplyInProgress,
    SessionNotFound,
    StorageFull,
    StorageUnavailable,
)
from cora.store import Stores
from cora.store.accounts import Reservation
from cora.store.base import EncodedMessagePage, EncodedSession
from cora.store.postgres import PostgresDatabase, PostgresSessionStore
from cora.store.postgres.failures import storage_error
from cora.store.postgres.migrations import Migration, apply_migrations, bundled_migrations
from cora.timeutil import utc_now
from tests.conftest import free_port, open_stores
from tests.factories import new_message, new_session
from tests.pg import DATABASE_URL, admin_execute

BACKEND_DIR = Path(__file__).parents[2]

MIGRATE_IN_A_PROCESS = """
import asyncio, sys
from cora.store.postgres import PostgresDatabase

async def main() -> None:
    database = PostgresDatabase(sys.argv[1], schema=sys.argv[2])
    await database.open()
    await database.close()

asyncio.run(main())
"""


@pytest.fixture
async def pg_stores(pg_schema: str, tmp_path: Path):
    stores = await open_stores("postgres", tmp_path, pg_schema)
    yield stores
    await stores.close()


@pytest.fixture
def pg_store(pg_stores: Stores) -> PostgresSessionStore:
    assert isinstance(pg_stores.sessions, PostgresSessionStore)
    return pg_stores.sessions


def ledger(schema: str) -> list[tuple[int, str]]:
    return admin_execute(f'SELECT version, name FROM "{schema}".schema_migrations ORDER BY 1')


# --- migrations ------------------------------------------------------------------------------


async def test_migrations_apply_once_and_then_find_nothing_to_do(pg_schema: str) -> None:
    expected = [(m.version, m.name) for m in bundled_migrations()]
    assert expected[0] == (1, "initial")
    for _ in range(3):
        database = PostgresDatabase(DATABASE_URL, schema=pg_schema)
        await database.open()
        await database.close()
    assert ledger(pg_schema) == expected


async def test_only_pending_migrations_are_applied(pg_schema: str) -> None:
    extra = Migration(9999, "test_extra", "CREATE TABLE test_extra (id integer PRIMARY KEY);")
    async with await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True) as conn:
        await conn.execute(f'SET search_path TO "{pg_schema}", public')
        bundled = [migration.version for migration in bundled_migrations()]
        assert await apply_migrations(conn, schema=pg_schema) == bundled
        assert await apply_migrations(
            conn, schema=pg_schema, migrations=[*bundled_migrations(), extra]
        ) == [9999]
        assert (
            await apply_migrations(
                conn, schema=pg_schema, migrations=[*bundled_migrations(), extra]
            )
            == []
        )
    assert [version for version, _ in ledger(pg_schema)] == [*bundled, 9999]


async def test_a_failing_migration_leaves_nothing_behind(pg_schema: str) -> None:
    broken = Migration(9998, "broken", "CREATE TABLE half_done (id integer); SELECT 1/0;")
    async with await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True) as conn:
        await conn.execute(f'SET search_path TO "{pg_schema}", public')
        with pytest.raises(psycopg.errors.DivisionByZero):
            await apply_migrations(
                conn, schema=pg_schema, migrations=[*bundled_migrations(), broken]
            )
    tables = admin_execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (pg_schema,)
    )
    assert tables == []


def test_processes_starting_at_once_migrate_exactly_once(pg_schema: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_IN_A_PROCESS, DATABASE_URL, pg_schema],
            cwd=BACKEND_DIR,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    errors = [process.communicate(timeout=120)[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * len(processes), errors
    assert ledger(pg_schema) == [(m.version, m.name) for m in bundled_migrations()]


async def test_pools_opening_together_share_one_migration(pg_schema: str) -> None:
    databases = [PostgresDatabase(DATABASE_URL, schema=pg_schema) for _ in range(5)]
    await asyncio.gather(*(database.open() for database in databases))
    await asyncio.gather(*(database.close() for database in databases))
    assert len(ledger(pg_schema)) == len(bundled_migrations())


# --- the pool and the database's absence ------------------------------------------------------


async def test_a_database_that_does_not_answer_fails_fast() -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    database = PostgresDatabase(url, timeout=2)
    start = time.monotonic()
    with pytest.raises(StorageUnavailable):
        await database.open()
    assert time.monotonic() - start < 5


async def test_one_pool_is_shared_and_closed_by_the_last_user(pg_stores: Stores) -> None:
    sessions = pg_stores.sessions
    await pg_stores.accounts.close()
    await sessions.ping()
    await pg_stores.accounts.open()
    assert isinstance(sessions, PostgresSessionStore)
    assert sessions.database.pool_stats()["pool_max"] == 10


async def test_a_killed_idle_connection_is_replaced_at_checkout(pg_schema: str) -> None:
    database = PostgresDatabase(DATABASE_URL, schema=pg_schema, min_size=1, max_size=1)
    await database.open()
    try:
        first = await backend_pid(database)
        # Returns once the backend has ended: its farewell is then in the idle socket's buffer.
        admin_execute("SELECT pg_terminate_backend(%s, 5000)", (first,))
        second = await backend_pid(database)
    finally:
        await database.close()
    assert second != first


async def test_a_repeatable_statement_runs_again_while_its_backends_are_killed(
    pg_schema: str,
) -> None:
    """A restart ends every pooled connection, and a checkout may hand out one that is ending:
    the statement moves on until it meets a live one, up to the pool's size plus one."""
    # The statement waits for an advisory lock the test holds, so it is killed while it runs.
    key = zlib.crc32(pg_schema.encode())
    statement = f"SELECT pg_advisory_xact_lock({key}), pg_backend_pid() AS pid -- {pg_schema}"
    database = PostgresDatabase(DATABASE_URL, schema=pg_schema, min_size=2, max_size=2)
    await database.open()
    with psycopg.connect(DATABASE_URL, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            running = asyncio.create_task(database.fetch_one_repeatable(statement, ()))
            killed = []
            for _ in range(2):
                pid = await backend_waiting_in(statement, other_than=killed)
                admin_execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
                killed.append(pid)
            last = await backend_waiting_in(statement, other_than=killed)
            holder.execute("SELECT pg_advisory_unlock(%s)", (key,))
            row = await running
        finally:
            await database.close()
    assert row is not None and row["pid"] == last and last not in killed


async def backend_waiting_in(statement: str, other_than: Sequence[int] = ()) -> int:
    """The backend running `statement` and waiting for a lock (polled: it starts on its own)."""
    for _ in range(3000):
        rows = admin_execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE query = %s AND wait_event_type = 'Lock' AND pid <> ALL(%s)",
            (statement, list(other_than)),
        )
        if rows:
            return int(rows[0][0])
        await asyncio.sleep(0.01)
    raise AssertionError(f"no backend ever ran {statement!r}")


async def backend_pid(database: PostgresDatabase) -> int:
    async with database.connection() as conn:
        cursor = await conn.execute("SELECT pg_backend_pid() AS pid")
        row = await cursor.fetchone()
    assert row is not None
    return int(row["pid"])


def test_settings_refuse_postgres_without_a_url_or_with_a_bad_pool() -> None:
    with pytest.raises(ValidationError, match="needs a database URL"):
        Settings(storage="postgres")
    with pytest.raises(ValidationError, match="db_pool_min"):
        Settings(db_pool_min=5, db_pool_max=2)
    with pytest.raises(ValidationError, match="database_schema"):
        Settings(database_schema="x; DROP TABLE users")


def test_driver_errors_become_cora_errors() -> None:
    assert isinstance(storage_error(pg_errors.DiskFull("no space left")), StorageFull)
    assert isinstance(storage_error(psycopg.OperationalError("gone")), StorageUnavailable)
    assert isinstance(storage_error(PoolTimeout("no connection")), StorageUnavailable)
    assert isinstance(storage_error(pg_errors.AdminShutdown("bye")), StorageUnavailable)
    assert isinstance(storage_error(pg_errors.ReadOnlySqlTransaction("ro")), StorageUnavailable)


# --- semantics the JSON store gets for free ---------------------------------------------------


async def test_timestamps_keep_microseconds_in_utc(pg_store: PostgresSessionStore) -> None:
    moment = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5)))
    message = dataclasses.replace(new_message(), timestamp=moment)
    record = new_session(messages=(message,))
    await pg_store.create_session(session=record)
    stored = await pg_store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages[0].timestamp == moment
    assert stored.messages[0].timestamp.tzinfo == UTC
    assert stored.messages[0].timestamp.microsecond == 123456
    assert stored.summary.updated_at == record.summary.updated_at
    old = dataclasses.replace(
        message, id=new_message().id, timestamp=datetime(999, 5, 2, tzinfo=UTC)
    )
    await pg_store.append_message(user_id="alice", session_id=record.session_id, message=old)
    stored = await pg_store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages[1].timestamp == old.timestamp


async def test_a_list_reads_its_page_of_the_recency_index_not_every_dead_entry(
    pg_store: PostgresSessionStore, pg_schema: str
) -> None:
    """Each append leaves a dead entry in `sessions_by_user_recency` until VACUUM; the list walks
    the index newest first and stops after its page (migration 0010) instead of reading all the
    user's entries, live and dead, and sorting them."""
    sessions = [new_session() for _ in range(20)]
    await pg_store.create_sessions(sessions=sessions)
    for _ in range(25):
        for record in sessions:
            await pg_store.append_message(
                user_id="alice", session_id=record.session_id, message=new_message()
            )
    index = f'"{pg_schema}".sessions_by_user_recency'
    with psycopg.connect(DATABASE_URL) as conn:
        conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(pg_schema)))
        conn.execute("ANALYZE sessions")  # as autovacuum does: planned freely, it reads and sorts
        page = conn.execute(
            "SELECT page FROM cora_list_page('alice', NULL, false, 10, NULL, NULL)"
        ).fetchone()
        entries_read = conn.execute(
            "SELECT pg_stat_get_xact_tuples_returned(%s::regclass)", (index,)
        ).fetchone()
    assert page is not None and len(json.loads(page[0])) == 10
    assert entries_read is not None
    assert 11 <= entries_read[0] <= 30  # the page and the next row; all 520 by a bitmap scan


async def test_a_session_written_before_its_stored_list_entry_is_listed_the_same(
    pg_store: PostgresSessionStore, pg_schema: str
) -> None:
    """Rows written before migration 0010 have no `summary_json` until their next write: the
    list builds theirs, the same JSON."""
    records = [
        new_session(title=f'chat {number} "é" \\ 🚗', tags=("a", "b c")) for number in range(3)
    ]
    records[1] = dataclasses.replace(
        records[1],
        summary=dataclasses.replace(records[1].summary, metadata={"n": [1, 2.5, None], "t": "\n"}),
    )
    await pg_store.create_sessions(sessions=records)
    await pg_store.replace_session(
        user_id="alice",
        session_id=records[0].session_id,
        messages=None,
        changes=SessionChanges(pinned=True, archived=True),
    )
    without = f'SELECT count(*) FROM "{pg_schema}".sessions WHERE summary_json IS NULL'
    assert admin_execute(without) == [(0,)]  # written with the rows
    stored = await pg_store.list_sessions_encoded(user_id="alice", limit=10)
    admin_execute(f'UPDATE "{pg_schema}".sessions SET summary_json = NULL')

    rebuilt = await pg_store.list_sessions_encoded(user_id="alice", limit=10)

    assert rebuilt == stored
    assert len(json.loads(rebuilt.sessions_json)) == 3
    assert admin_execute(without) == [(3,)]  # a list writes nothing


async def test_metadata_numbers_survive_jsonb(pg_store: PostgresSessionStore) -> None:
    metadata = {"huge": 1e300, "tiny": 1e-300, "int": 2**63 - 1, "neg": -(2**63), "f": 0.1}
    message = dataclasses.replace(new_message(), metadata=metadata)
    record = new_session(messages=(message,))
    await pg_store.create_session(session=record)
    stored = await pg_store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages[0].metadata == metadata
    assert isinstance(stored.messages[0].metadata["huge"], float)


async def test_a_repeated_message_id_in_a_replacement_changes_nothing(
    pg_store: PostgresSessionStore,
) -> None:
    record = new_session(messages=(new_message("kept"),))
    await pg_store.create_session(session=record)
    twice = new_message("twice")
    with pytest.raises(MessageIdConflict):
        await pg_store.replace_session(
            user_id="alice",
            session_id=record.session_id,
            messages=[twice, twice],
            changes=SessionChanges(),
        )
    assert await pg_store.get_session(user_id="alice", session_id=record.session_id) == record


async def test_a_failed_bulk_create_leaves_nothing(pg_store: PostgresSessionStore) -> None:
    first = new_session()
    duplicate = new_session()
    duplicate = dataclasses.replace(
        duplicate, summary=dataclasses.replace(duplicate.summary, session_id=first.session_id)
    )
    with pytest.raises(CoraError):
        await pg_store.create_sessions(sessions=[new_session(), first, duplicate])
    assert (await pg_store.list_sessions(user_id="alice", limit=10)).sessions == ()


async def test_search_treats_like_wildcards_literally(pg_store: PostgresSessionStore) -> None:
    literal = new_session(messages=(new_message("a 50% discount_code"),))
    other = new_session(messages=(new_message("a 500 discount code"),))
    await pg_store.create_sessions(sessions=[literal, other])
    for query in ("50%", "t_c", "%", "_"):
        page = await pg_store.search_sessions(user_id="alice", text=query, tag=None, limit=10)
        assert [hit.summary.session_id for hit in page.hits] == [literal.session_id], query
    backslash = await pg_store.search_sessions(user_id="alice", text="\\", tag=None, limit=10)
    assert backslash.hits == ()


async def test_text_postgresql_cannot_hold_matches_nothing(pg_store: PostgresSessionStore) -> None:
    await pg_store.create_session(session=new_session(title="hello"))
    for text, tag in (("hel\x00lo", None), (None, "a\x00b"), ("\ud800", None)):
        page = await pg_store.search_sessions(user_id="alice", text=text, tag=tag, limit=10)
        assert page.hits == ()
    assert (await pg_store.list_sessions(user_id="no\x00one", limit=5)).sessions == ()


async def test_the_throttle_counts_names_no_account_can_have(pg_stores: Stores) -> None:
    throttle = pg_stores.login_throttle
    now = datetime.now(UTC)
    window = timedelta(minutes=15)

    async def reserve(name: str) -> Reservation:
        return await throttle.reserve_attempt(username=name, at=now, window=window, limit=2)

    for name in ("../../etc/passwd\x00", "\ud800x", "Alice"):
        assert (await reserve(name)).granted
        assert (await reserve(name.upper())).granted
        refused = await reserve(name)
        assert not refused.granted and refused.reopens_at == now + window
        await throttle.clear_failures(username=name)
        assert (await reserve(name)).granted


async def test_expiry_deletes_in_batches_and_counts_a_dry_run(
    pg_store: PostgresSessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cora.store.postgres.sessions.EXPIRY_BATCH", 3)
    now = datetime.now(UTC)
    old = [new_session(updated_at=now - timedelta(days=40)) for _ in range(7)]
    await pg_store.create_sessions(sessions=[*old, new_session()])
    cutoff = now - timedelta(days=30)
    assert len(await pg_store.delete_sessions_updated_before(cutoff=cutoff, dry_run=True)) == 7
    assert len(await pg_store.delete_sessions_updated_before(cutoff=cutoff)) == 7
    assert len((await pg_store.list_sessions(user_id="alice", limit=10)).sessions) == 1


async def test_connections_are_set_up_for_cora(pg_schema: str) -> None:
    database = PostgresDatabase(DATABASE_URL, schema=pg_schema)
    await database.open()
    try:
        async with database.connection() as conn:
            cursor = await conn.execute(
                "SELECT current_setting('TimeZone') AS zone, current_schema() AS schema,"
                " current_setting('idle_in_transaction_session_timeout') AS idle,"
                " current_setting('application_name') AS name"
            )
            row = await cursor.fetchone()
    finally:
        await database.close()
    assert row == {"zone": "UTC", "schema": pg_schema, "idle": "1min", "name": "cora"}


async def test_rows_read_ids_as_text_and_times_with_their_canonical_text(pg_schema: str) -> None:
    database = PostgresDatabase(DATABASE_URL, schema=pg_schema)
    await database.open()
    try:
        async with database.connection() as conn:
            cursor = await conn.execute(
                "SELECT '0f8fad5b-d9cb-469f-a165-70867728950e'::uuid AS id,"
                " '2026-12-06 02:28:08.711743+00'::timestamptz AS plain,"
                " '2026-12-06 02:28:08+00'::timestamptz AS whole_second,"
                " '2026-12-06 02:28:08.7+00'::timestamptz AS tenths,"
                " '2026-12-06 07:28:08.5+05'::timestamptz AS elsewhere"
            )
            row = await cursor.fetchone()
    finally:
        await database.close()
    assert row is not None
    assert row["id"] == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert row["plain"] == datetime(2026, 12, 6, 2, 28, 8, 711743, tzinfo=UTC)
    assert getattr(row["plain"], "text", None) == "2026-12-06T02:28:08.711743Z"
    assert row["whole_second"] == datetime(2026, 12, 6, 2, 28, 8, tzinfo=UTC)
    assert getattr(row["whole_second"], "text", None) == "2026-12-06T02:28:08.000000Z"
    assert getattr(row["tenths"], "text", None) == "2026-12-06T02:28:08.700000Z"
    assert row["elsewhere"] == datetime(2026, 12, 6, 2, 28, 8, 500000, tzinfo=UTC)
    assert row["elsewhere"].tzinfo is not None and row["elsewhere"].utcoffset() == timedelta(0)


# --- group append ----------------------------------------------------------------------------


def batch_sizes() -> tuple[float, float]:
    """(statements, appends) sent so far by group appends in this process."""
    count = REGISTRY.get_sample_value("cora_store_append_batch_size_count") or 0.0
    total = REGISTRY.get_sample_value("cora_store_append_batch_size_sum") or 0.0
    return count, total


def descending_ids(count: int) -> list[str]:
    """Message ids each smaller than the one before: an order by id is not arrival order."""
    return [str(uuid.UUID(int=(count - i) << 64 | 0x4000_8000_0000_0000)) for i in range(count)]


async def test_concurrent_appends_go_as_one_statement_each_with_its_own_answer(
    pg_store: PostgresSessionStore,
) -> None:
    first, second, streaming = new_session(), new_session(), new_session()
    await pg_store.create_sessions(sessions=[first, second, streaming])
    await pg_store.start_reply(
        user_id="alice",
        session_id=streaming.session_id,
        reply=new_message("...", "assistant"),
        writer="w",
    )
    ids = descending_ids(4)
    one, three, four = (
        dataclasses.replace(new_message(text), id=ids[i])
        for i, text in enumerate(("one", "three", "four"))
    )
    two = dataclasses.replace(new_message("two", "assistant"), id=ids[3])
    missing = "00000000-0000-4000-8000-000000000000"
    calls = [
        (first.session_id, "alice", one),
        (second.session_id, "alice", two),
        (first.session_id, "alice", three),
        (first.session_id, "alice", dataclasses.replace(one, timestamp=utc_now())),  # a retry
        (missing, "alice", new_message()),
        (second.session_id, "alice", dataclasses.replace(two, text="other")),  # id reused
        (first.session_id, "alice", four),
        (first.session_id, "bob", new_message()),  # not bob's
        (streaming.session_id, "alice", new_message()),
    ]
    before = batch_sizes()
    results = await asyncio.gather(
        *(pg_store.append_message(user_id=u, session_id=s, message=m) for s, u, m in calls),
        return_exceptions=True,
    )
    after = batch_sizes()
    assert (after[0] - before[0], after[1] - before[1]) == (1, len(calls))  # one statement
    created = [r for r in results if isinstance(r, AppendResult) and r.created]
    assert [r.message for r in created] == [one, two, three, four]
    assert [r.summary.message_count for r in created if r.summary] == [1, 1, 2, 3]
    assert not isinstance(results[3], BaseException) and not results[3].created
    assert results[3].message == one
    assert isinstance(results[4], SessionNotFound)
    assert isinstance(results[5], MessageIdConflict)
    assert isinstance(results[7], SessionNotFound)
    assert isinstance(results[8], ReplyInProgress)
    stored = await pg_store.get_session(user_id="alice", session_id=first.session_id)
    assert stored.messages == (one, three, four)  # arrival order, each once
    assert stored.summary == created[3].summary and stored.summary.title == "one"
    assert [r.summary.updated_at for r in (created[0], created[2], created[3]) if r.summary] == (
        sorted({r.summary.updated_at for r in (created[0], created[2], created[3]) if r.summary})
    )
    other = await pg_store.get_session(user_id="alice", session_id=second.session_id)
    assert other.messages == (two,)


async def test_appends_to_a_session_held_elsewhere_wait_alone_in_order(
    pg_store: PostgresSessionStore, pg_schema: str
) -> None:
    held, free = new_session(), new_session()
    await pg_store.create_sessions(sessions=[held, free])
    texts = iter(f"held {i}" for i in range(3))
    ids = descending_ids(3)
    queued = [dataclasses.replace(new_message(next(texts)), id=ids[i]) for i in range(3)]

    def append(session_id: str, message: MessageRecord) -> asyncio.Task[AppendResult]:
        call = pg_store.append_message(user_id="alice", session_id=session_id, message=message)
        return asyncio.create_task(call)

    with psycopg.connect(DATABASE_URL) as holder:  # a transaction holding the session's row
        holder.execute(
            sql.SQL("SELECT 1 FROM {}.sessions WHERE session_id = %s FOR UPDATE").format(
                sql.Identifier(pg_schema)
            ),
            (held.session_id,),
        )
        waiting = [append(held.session_id, queued[0]), append(held.session_id, queued[1])]
        assert (await append(free.session_id, new_message("meanwhile"))).created
        waiting.append(append(held.session_id, queued[2]))  # behind the two, not in a batch
        assert (await append(free.session_id, new_message("and again"))).created
        assert not any(task.done() for task in waiting)
        holder.commit()
    results = await asyncio.gather(*waiting)
    assert [r.message for r in results if r.created] == queued
    stored = await pg_store.get_session(user_id="alice", session_id=held.session_id)
    assert stored.messages == tuple(queued)
    assert [r.summary.message_count for r in results if r.summary] == [1, 2, 3]


async def test_an_append_queued_behind_a_busy_one_stays_behind_it(
    pg_store: PostgresSessionStore, pg_schema: str
) -> None:
    held, free = new_session(), new_session()
    await pg_store.create_sessions(sessions=[held, free])
    ids = descending_ids(2)
    queued = [dataclasses.replace(new_message(f"held {i}"), id=ids[i]) for i in range(2)]
    table = sql.SQL("{}.messages").format(sql.Identifier(pg_schema))

    def append(session_id: str, message: MessageRecord) -> asyncio.Task[AppendResult]:
        call = pg_store.append_message(user_id="alice", session_id=session_id, message=message)
        return asyncio.create_task(call)

    with psycopg.connect(DATABASE_URL) as row_holder, psycopg.connect(DATABASE_URL) as inserts:
        row_holder.execute(
            sql.SQL("SELECT 1 FROM {}.sessions WHERE session_id = %s FOR UPDATE").format(
                sql.Identifier(pg_schema)
            ),
            (held.session_id,),
        )
        inserts.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        # A batch of two, in flight until the inserts may go: `held` is busy in it.
        before = batch_sizes()
        first = [append(held.session_id, queued[0]), append(free.session_id, new_message())]
        await backend_waiting_for(inserts, table)
        later = append(held.session_id, queued[1])  # queued while the batch is in flight
        await asyncio.sleep(0)  # (no wait: lets the task just created run up to its queueing)
        inserts.commit()
        assert (await first[1]).created
        row_holder.commit()
        results = [await first[0], await later]
    after = batch_sizes()
    # The later append was not sent as a batch of its own: it went behind the first, alone.
    assert (after[0] - before[0], after[1] - before[1]) == (1, 2)
    assert [r.message for r in results if r.created] == queued
    stored = await pg_store.get_session(user_id="alice", session_id=held.session_id)
    assert stored.messages == tuple(queued)


async def test_a_batch_that_fails_runs_each_append_alone(pg_store: PostgresSessionStore) -> None:
    record = new_session()
    await pg_store.create_session(session=record)
    unstorable = new_message("NUL \x00 in text")
    with pytest.raises(StorageUnavailable):  # alone, as before the group append
        await pg_store.append_message(
            user_id="alice", session_id=record.session_id, message=unstorable
        )
    sent = [new_message("before"), unstorable, new_message("after")]
    before = batch_sizes()
    results = await asyncio.gather(
        *(
            pg_store.append_message(user_id="alice", session_id=record.session_id, message=m)
            for m in sent
        ),
        return_exceptions=True,
    )
    after = batch_sizes()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 3)  # then each alone
    assert isinstance(results[1], StorageUnavailable)
    assert [r.message for r in results if isinstance(r, AppendResult) and r.created] == [
        sent[0],
        sent[2],
    ]
    stored = await pg_store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages == (sent[0], sent[2])


async def test_a_batch_runs_again_when_its_backend_is_killed(
    pg_store: PostgresSessionStore, pg_schema: str
) -> None:
    sessions = [new_session(), new_session()]
    await pg_store.create_sessions(sessions=sessions)
    messages = [new_message("first"), new_message("second"), new_message("third")]
    table = sql.SQL("{}.messages").format(sql.Identifier(pg_schema))
    with psycopg.connect(DATABASE_URL) as holder:  # the batch's inserts wait for this lock
        holder.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        running = asyncio.gather(
            *(
                pg_store.append_message(
                    user_id="alice", session_id=sessions[i % 2].session_id, message=m
                )
                for i, m in enumerate(messages)
            )
        )
        first = await backend_waiting_for(holder, table)
        killed = admin_execute("SELECT pg_terminate_backend(%s, 5000)", (first,))
        again = await backend_waiting_for(holder, table, other_than=first)
        holder.commit()
        results = await running
    assert killed == [(True,)] and again != first
    assert [r.message for r in results if r.created] == messages
    stored = [
        (await pg_store.get_session(user_id="alice", session_id=s.session_id)).messages
        for s in sessions
    ]
    assert stored == [(messages[0], messages[2]), (messages[1],)]


# --- group reads -----------------------------------------------------------------------------


def read_batch_sizes(read: str) -> tuple[float, float]:
    """(statements, reads) of the kind `read` sent so far by group reads in this process."""
    labels = {"read": read}
    count = REGISTRY.get_sample_value("cora_store_read_batch_size_count", labels) or 0.0
    total = REGISTRY.get_sample_value("cora_store_read_batch_size_sum", labels) or 0.0
    return count, total


def sent_since(before: tuple[float, float], read: str) -> tuple[float, float]:
    after = read_batch_sizes(read)
    return after[0] - before[0], after[1] - before[1]


async def alone_and_together(
    calls: list[Callable[[], Awaitable[object]]],
) -> tuple[list[object], list[object]]:
    """What each call gives when run alone, one after the other, then all at once (an error as
    its type and text, so that both can be compared)."""

    def seen(outcome: object) -> object:
        return (type(outcome), str(outcome)) if isinstance(outcome, Exception) else outcome

    alone = [seen(o) for o in [await _outcome(call()) for call in calls]]
    together = await asyncio.gather(*(call() for call in calls), return_exceptions=True)
    return alone, [seen(o) for o in together]


async def _outcome(call: Awaitable[object]) -> object:
    try:
        return await call
    except Exception as error:
        return error


async def test_concurrent_lists_go_as_one_statement_each_with_its_own_page(
    pg_store: PostgresSessionStore,
) -> None:
    base = utc_now() - timedelta(hours=1)
    alices = [
        new_session(title=f"claim {n}", updated_at=base + timedelta(minutes=n)) for n in range(5)
    ]
    bobs = [new_session("bob", updated_at=base + timedelta(minutes=n)) for n in range(2)]
    await pg_store.create_sessions(sessions=[*alices, *bobs])
    for record, flags in ((alices[1], {"pinned": True}), (alices[2], {"archived": True})):
        await pg_store.replace_session(
            user_id="alice",
            session_id=record.session_id,
            messages=None,
            changes=SessionChanges(**flags),
        )
    first = await pg_store.list_sessions_encoded(user_id="alice", limit=2)
    calls = [
        {"user_id": "alice", "limit": 2},
        {"user_id": "alice", "limit": 2, "after": first.next_position},
        {"user_id": "alice", "limit": 10, "view": SessionFilter(archived=True)},
        {"user_id": "alice", "limit": 10, "view": SessionFilter(pinned_only=True)},
        {"user_id": "alice", "limit": 10, "view": SessionFilter(archived=False)},
        {"user_id": "bob", "limit": 1},
        {"user_id": "carol", "limit": 10},
    ]
    alone = [await pg_store.list_sessions_encoded(**call) for call in calls]
    before = read_batch_sizes("list")
    together = await asyncio.gather(*(pg_store.list_sessions_encoded(**call) for call in calls))

    # The first goes at once, alone; the six that came while it was in flight go as one.
    assert sent_since(before, "list") == (2, len(calls))
    assert together == alone
    pages = [[entry["session_id"] for entry in json.loads(p.sessions_json)] for p in together]
    assert len(set(pages[0] + pages[1])) == 4
    assert pages[2:4] == [[alices[2].session_id], [alices[1].session_id]]
    assert set(pages[4]) == {r.session_id for r in alices} - {alices[2].session_id}
    assert pages[5:] == [[bobs[1].session_id], []]
    assert together[5].next_position is not None and together[6].next_position is None


async def test_a_list_whose_statement_fails_does_not_fail_the_lists_batched_with_it(
    pg_store: PostgresSessionStore,
) -> None:
    await pg_store.create_sessions(sessions=[new_session(), new_session()])
    limits = [1, 1, -5, 2]  # a negative LIMIT is an error of its own statement
    before = read_batch_sizes("list")
    results = await asyncio.gather(
        *(pg_store.list_sessions_encoded(user_id="alice", limit=n) for n in limits),
        return_exceptions=True,
    )
    assert sent_since(before, "list") == (2, 4)  # one alone, then a batch
    assert isinstance(results[2], StorageUnavailable)
    pages = [json.loads(r.sessions_json) for r in results if not isinstance(r, BaseException)]
    assert [len(page) for page in pages] == [1, 1, 2]


async def test_concurrent_message_pages_go_as_one_statement_each_with_its_own_answer(
    pg_store: PostgresSessionStore,
) -> None:
    talk = tuple(new_message(f"message {n}") for n in range(5))
    full, empty = new_session(messages=talk), new_session()
    bobs = new_session("bob", messages=talk[:2])
    await pg_store.create_sessions(sessions=[full, empty, bobs])
    unknown = str(uuid.uuid4())

    def page(user_id: str, session_id: str, limit: int = 10, before: str | None = None):
        return lambda: pg_store.list_messages_encoded(
            user_id=user_id, session_id=session_id, limit=limit, before=before
        )

    calls = [
        page("alice", full.session_id, 2),
        page("alice", full.session_id, 2, before=talk[3].id),
        page("alice", empty.session_id),
        page("bob", full.session_id),  # not bob's
        page("alice", full.session_id, before=unknown),  # no such message
        page("alice", unknown),  # no such session
        page("bob", bobs.session_id, 1),
    ]
    before = read_batch_sizes("messages")
    alone, together = await alone_and_together(calls)

    assert sent_since(before, "messages") == (len(calls) + 2, 2 * len(calls))
    assert together == alone
    assert [type(o) for o in together[3:6]] == [tuple] * 3  # errors, as alone
    pages = [o for o in together[:3] if isinstance(o, EncodedMessagePage)]
    ids = [[m["id"] for m in json.loads(page.messages_json)] for page in pages]
    assert ids == [[talk[3].id, talk[4].id], [talk[1].id, talk[2].id], []]


async def test_concurrent_session_reads_go_as_one_statement_each_with_its_own_answer(
    pg_store: PostgresSessionStore,
) -> None:
    full = new_session(messages=(new_message("one"), new_message("two")))
    empty, bobs = new_session(), new_session("bob")
    await pg_store.create_sessions(sessions=[full, empty, bobs])

    def get(user_id: str, session_id: str):
        return lambda: pg_store.get_session_encoded(user_id=user_id, session_id=session_id)

    calls = [
        get("alice", full.session_id),
        get("alice", empty.session_id),
        get("bob", full.session_id),  # not bob's
        get("bob", bobs.session_id),
    ]
    before = read_batch_sizes("session")
    alone, together = await alone_and_together(calls)

    assert sent_since(before, "session") == (len(calls) + 2, 2 * len(calls))
    assert together == alone
    assert together[2] == (SessionNotFound, str(SessionNotFound(full.session_id)))
    assert isinstance(together[0], EncodedSession)
    texts = [m["text"] for m in json.loads(together[0].session_json)["messages"]]
    assert texts == ["one", "two"]


async def backend_waiting_for(
    holder: psycopg.Connection, table: sql.Composable, other_than: int = 0
) -> int:
    """The backend waiting for a lock on `table` (polled: it starts on its own)."""
    query = sql.SQL(
        "SELECT pid FROM pg_locks WHERE relation = {}::regclass AND NOT granted AND pid <> %s"
    ).format(sql.Literal(table.as_string(holder)))
    for _ in range(3000):
        rows = admin_execute(query, (other_than,))
        if rows:
            return int(rows[0][0])
        await asyncio.sleep(0.01)
    raise AssertionError(f"no backend ever waited for {table.as_string(holder)}")
