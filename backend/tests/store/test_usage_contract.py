"""`SessionStore.storage_usage`, on both stores (the `store` fixture is parametrised)."""

from cora.domain import StorageUsage
from cora.store.base import SessionStore
from tests.factories import new_message, new_session


async def test_usage_counts_a_users_sessions_and_grows_with_their_text(
    store: SessionStore,
) -> None:
    assert await store.storage_usage(user_id="alice") == StorageUsage(sessions=0, bytes=0)
    first, second = new_session(), new_session()
    await store.create_session(session=first)
    await store.create_session(session=second)
    await store.create_session(session=new_session("bob"))
    empty = await store.storage_usage(user_id="alice")
    assert empty.sessions == 2
    await store.append_message(
        user_id="alice", session_id=first.session_id, message=new_message("x" * 5000)
    )
    grown = await store.storage_usage(user_id="alice")
    assert grown.sessions == 2
    assert grown.bytes >= empty.bytes + 5000
    await store.delete_session(user_id="alice", session_id=first.session_id)
    after = await store.storage_usage(user_id="alice")
    assert after.sessions == 1 and after.bytes < grown.bytes - 5000
    assert (await store.storage_usage(user_id="bob")).sessions == 1
