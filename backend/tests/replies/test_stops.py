"""The stop-signal contract, on every store: a request made through one opened store (one
process) is seen through another on the same storage, until it is cleared."""

import uuid
from pathlib import Path

import pytest

from cora.store import Stores
from tests.conftest import open_stores


@pytest.fixture
async def other(stores: Stores, backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """A second set of stores on the same storage, as another process would open it."""
    schema = request.getfixturevalue("pg_schema") if backend == "postgres" else None
    opened = await open_stores(backend, tmp_path, schema)
    yield opened
    await opened.close()


async def test_a_stop_asked_for_anywhere_is_seen_everywhere(stores: Stores, other: Stores) -> None:
    reply, unrelated = str(uuid.uuid4()), str(uuid.uuid4())
    assert not await other.stops.requested(message_id=reply)
    await stores.stops.request(message_id=reply)
    await stores.stops.request(message_id=reply)
    assert await other.stops.requested(message_id=reply)
    assert await stores.stops.requested(message_id=reply)
    assert not await other.stops.requested(message_id=unrelated)
    await other.stops.clear(message_id=reply)
    assert not await stores.stops.requested(message_id=reply)
    await other.stops.clear(message_id=reply)


async def test_old_requests_are_forgotten(stores: Stores) -> None:
    reply = str(uuid.uuid4())
    await stores.stops.request(message_id=reply)
    assert await stores.stops.clear_older_than(seconds=3600) == 0
    assert await stores.stops.requested(message_id=reply)
    assert await stores.stops.clear_older_than(seconds=0) == 1
    assert not await stores.stops.requested(message_id=reply)


async def test_only_message_ids_are_taken(stores: Stores) -> None:
    with pytest.raises(ValueError):
        await stores.stops.request(message_id="../index.sqlite3")
