"""Sessions deleted by expiry (3.7) are announced as `deleted` (3.8), on both stores."""

import asyncio
from datetime import timedelta

import orjson

from cora.events import LiveEvent
from cora.services.expiry import expire_idle_sessions
from cora.store import Stores
from cora.timeutil import utc_now
from tests.factories import new_session


async def test_expired_sessions_are_announced_as_deleted(stores: Stores) -> None:
    now = utc_now()
    old = new_session(updated_at=now - timedelta(days=40))
    recent = new_session(updated_at=now - timedelta(days=2))
    await stores.sessions.create_sessions(sessions=[old, recent])
    subscription = stores.events.subscribe(user_id="alice", session_id=None, last_event_id=None)
    try:
        assert await expire_idle_sessions(stores.sessions, stores.events, ttl_days=30) == 1
        async with asyncio.timeout(10):
            event = await anext(subscription)
    finally:
        await subscription.aclose()  # type: ignore[attr-defined]
    assert (event.kind, event.user_id, event.session_id) == ("deleted", "alice", old.session_id)
    assert orjson.loads(event.data) == {"session_id": old.session_id}


async def test_a_dry_run_announces_nothing(stores: Stores) -> None:
    old = new_session(updated_at=utc_now() - timedelta(days=40))
    await stores.sessions.create_sessions(sessions=[old])
    position = stores.events.position()
    assert (
        await expire_idle_sessions(stores.sessions, stores.events, ttl_days=30, dry_run=True) == 1
    )
    await stores.sessions.get_session(user_id="alice", session_id=old.session_id)
    resumed = stores.events.subscribe(user_id="alice", session_id=None, last_event_id=position)
    try:
        await stores.events.publish(LiveEvent("session", "alice", old.session_id, b"{}"))
        async with asyncio.timeout(10):
            assert (await anext(resumed)).kind == "session"  # the marker, no `deleted` before it
    finally:
        await resumed.aclose()  # type: ignore[attr-defined]
