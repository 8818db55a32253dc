"""The PostgreSQL event bus after a lost connection: it reconnects and sends what it missed."""

import uuid

from cora.events.postgres import PostgresEventBus
from cora.store.postgres import PostgresDatabase
from tests.events.test_bus_contract import event, numbers, take
from tests.pg import DATABASE_URL, admin_execute


async def test_a_reader_whose_connection_was_cut_catches_up(pg_schema: str) -> None:
    name = f"cora-test-{uuid.uuid4().hex[:8]}"
    cut = PostgresEventBus(
        PostgresDatabase(f"{DATABASE_URL}?application_name={name}", schema=pg_schema),
        poll_seconds=0.5,
    )
    other = PostgresEventBus(PostgresDatabase(DATABASE_URL, schema=pg_schema), poll_seconds=0.5)
    await cut.open()
    await other.open()
    try:
        watching = cut.subscribe(user_id="alice", session_id=None, last_event_id=None)
        await other.publish(event(n=1))
        assert numbers(await take(watching, 1)) == [1]
        terminated = admin_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (name,),
        )
        assert terminated
        for n in range(2, 6):
            await other.publish(event(n=n))
        assert numbers(await take(watching, 4)) == [2, 3, 4, 5]
    finally:
        await cut.close()
        await other.close()
