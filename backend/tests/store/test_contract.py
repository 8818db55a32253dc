"""The store contract: every back end must pass this suite (the `store` fixture is parametrised)."""

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from cora.domain import SessionChanges
from cora.errors import MessageIdConflict, SessionNotFound, StaleSession, UnknownMessage
from cora.store.base import SessionStore
from cora.timeutil import utc_now
from tests.factories import new_message, new_session


async def test_a_created_session_reads_back_equal(store: SessionStore) -> None:
    record = new_session(title="Claims", tags=("auto", "claim"))
    await store.create_session(session=record)
    assert await store.get_session(user_id="alice", session_id=record.session_id) == record


async def test_a_session_is_found_only_under_its_owner(store: SessionStore) -> None:
    record = new_session("alice")
    await store.create_session(session=record)
    with pytest.raises(SessionNotFound):
        await store.get_session(user_id="bob", session_id=record.session_id)
    with pytest.raises(SessionNotFound):
        await store.append_message(
            user_id="bob", session_id=record.session_id, message=new_message()
        )
    unknown = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(SessionNotFound):
        await store.get_session(user_id="alice", session_id=unknown)


async def test_appends_are_stored_in_order_and_bump_updated_at(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    sent = [new_message(f"message {i}", "user" if i % 2 else "assistant") for i in range(5)]
    for message in sent:
        result = await store.append_message(
            user_id="alice", session_id=record.session_id, message=message
        )
        assert result.created
        assert result.message == message
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages == tuple(sent)
    assert stored.summary.message_count == 5
    assert stored.summary.updated_at > record.summary.updated_at
    assert stored.summary.created_at == record.summary.created_at


async def test_the_first_user_message_gives_the_title(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    for message in [
        new_message("Hi! I'm Cora.", "assistant"),
        new_message("   \n  ", "user"),
        new_message("\n  My car was hit " + "x" * 100 + "\nmore", "user"),
        new_message("Another question", "user"),
    ]:
        await store.append_message(user_id="alice", session_id=record.session_id, message=message)
    summary = await store.get_summary(user_id="alice", session_id=record.session_id)
    assert summary.title == ("My car was hit " + "x" * 100)[:80]


async def test_a_retried_append_stores_nothing_twice(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    message = new_message("once")
    first = await store.append_message(
        user_id="alice", session_id=record.session_id, message=message
    )
    await store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message("other")
    )
    retry = dataclasses.replace(message, timestamp=message.timestamp.replace(year=2030))
    second = await store.append_message(
        user_id="alice", session_id=record.session_id, message=retry
    )
    assert first.created and not second.created
    assert second.message == message
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert [m.text for m in stored.messages] == ["once", "other"]


async def test_a_reused_id_with_other_text_is_a_conflict(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    message = new_message("original")
    await store.append_message(user_id="alice", session_id=record.session_id, message=message)
    with pytest.raises(MessageIdConflict):
        await store.append_message(
            user_id="alice",
            session_id=record.session_id,
            message=dataclasses.replace(message, text="changed"),
        )
    with pytest.raises(MessageIdConflict):
        await store.append_message(
            user_id="alice",
            session_id=record.session_id,
            message=dataclasses.replace(message, sender="assistant"),
        )


async def test_listing_is_newest_first_paged_and_per_user(store: SessionStore) -> None:
    mine = [new_session("alice") for _ in range(7)]
    await store.create_sessions(sessions=mine)
    await store.create_session(session=new_session("bob"))
    touched = mine[2]
    await store.append_message(
        user_id="alice", session_id=touched.session_id, message=new_message()
    )

    seen: list[str] = []
    page = await store.list_sessions(user_id="alice", limit=3)
    while True:
        seen += [s.session_id for s in page.sessions]
        if page.next_position is None:
            break
        page = await store.list_sessions(user_id="alice", limit=3, after=page.next_position)

    assert seen[0] == touched.session_id
    assert sorted(seen) == sorted(s.session_id for s in mine)
    rest = [s for s in mine if s is not touched]
    expected_rest = sorted(rest, key=lambda s: (s.summary.updated_at, s.session_id), reverse=True)
    assert seen[1:] == [s.session_id for s in expected_rest]


async def test_ties_in_updated_at_are_broken_by_session_id(store: SessionStore) -> None:
    first = new_session()
    same_time = [
        dataclasses.replace(
            new_session(),
            summary=dataclasses.replace(new_session().summary, updated_at=first.summary.updated_at),
        )
        for _ in range(4)
    ]
    await store.create_sessions(sessions=same_time)
    page = await store.list_sessions(user_id="alice", limit=10)
    ids = [s.session_id for s in page.sessions]
    assert ids == sorted(ids, reverse=True)


async def test_an_unknown_user_has_an_empty_list(store: SessionStore) -> None:
    page = await store.list_sessions(user_id="nobody", limit=50)
    assert page.sessions == () and page.next_position is None


async def test_replace_swaps_messages_and_keeps_a_custom_title(store: SessionStore) -> None:
    record = new_session(title="My claim")
    await store.create_session(session=record)
    await store.append_message(user_id="alice", session_id=record.session_id, message=new_message())
    replacement = (new_message("new first"), new_message("reply", "assistant"))
    replaced = await store.replace_session(
        user_id="alice",
        session_id=record.session_id,
        messages=replacement,
        changes=SessionChanges(tags=("home",)),
    )
    assert replaced.messages == replacement
    assert replaced.summary.title == "My claim"
    assert replaced.summary.tags == ("home",)
    assert await store.get_session(user_id="alice", session_id=record.session_id) == replaced


async def test_a_title_set_to_null_is_derived_again(store: SessionStore) -> None:
    record = new_session(title="Custom")
    await store.create_session(session=record)
    await store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message("Flood damage")
    )
    patched = await store.replace_session(
        user_id="alice",
        session_id=record.session_id,
        messages=None,
        changes=SessionChanges(set_title=True, title=None, metadata={"k": "v"}),
    )
    assert patched.summary.title == "Flood damage"
    assert patched.summary.metadata == {"k": "v"}
    assert len(patched.messages) == 1


async def test_a_stale_etag_changes_nothing(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    old_etag = record.summary.etag
    await store.append_message(user_id="alice", session_id=record.session_id, message=new_message())
    before = await store.get_session(user_id="alice", session_id=record.session_id)
    assert before.summary.etag != old_etag
    with pytest.raises(StaleSession):
        await store.replace_session(
            user_id="alice",
            session_id=record.session_id,
            messages=(),
            changes=SessionChanges(),
            expected_etag=old_etag,
        )
    with pytest.raises(StaleSession):
        await store.delete_session(
            user_id="alice", session_id=record.session_id, expected_etag=old_etag
        )
    assert await store.get_session(user_id="alice", session_id=record.session_id) == before
    replaced = await store.replace_session(
        user_id="alice",
        session_id=record.session_id,
        messages=(),
        changes=SessionChanges(),
        expected_etag=before.summary.etag,
    )
    assert replaced.messages == ()


async def test_a_deleted_session_is_gone_everywhere(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    await store.delete_session(user_id="alice", session_id=record.session_id)
    with pytest.raises(SessionNotFound):
        await store.get_session(user_id="alice", session_id=record.session_id)
    with pytest.raises(SessionNotFound):
        await store.delete_session(user_id="alice", session_id=record.session_id)
    assert (await store.list_sessions(user_id="alice", limit=10)).sessions == ()


async def test_concurrent_appends_in_one_process_lose_nothing(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    messages = [new_message(f"m{i}") for i in range(60)]
    await asyncio.gather(
        *(
            store.append_message(user_id="alice", session_id=record.session_id, message=m)
            for m in messages
        )
    )
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert sorted(m.id for m in stored.messages) == sorted(m.id for m in messages)
    assert stored.summary.message_count == 60


async def test_text_and_metadata_round_trip_exactly(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    text = 'Ünïcødé 🚗 "quotes" \\ back\nslash\ttab </script> \u2028'
    message = dataclasses.replace(new_message(text), metadata={"nested": {"list": [1, 2.5, None]}})
    await store.append_message(user_id="alice", session_id=record.session_id, message=message)
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages == (message,)


async def test_messages_page_backwards_from_the_latest(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    sent = [new_message(f"m{i}") for i in range(12)]
    for message in sent:
        await store.append_message(user_id="alice", session_id=record.session_id, message=message)
    latest = await store.list_messages(user_id="alice", session_id=record.session_id, limit=5)
    assert latest.messages == tuple(sent[7:]) and latest.has_more
    older = await store.list_messages(
        user_id="alice", session_id=record.session_id, limit=5, before=sent[7].id
    )
    assert older.messages == tuple(sent[2:7]) and older.has_more
    oldest = await store.list_messages(
        user_id="alice", session_id=record.session_id, limit=5, before=sent[2].id
    )
    assert oldest.messages == tuple(sent[:2]) and not oldest.has_more
    everything = await store.list_messages(user_id="alice", session_id=record.session_id, limit=50)
    assert everything.messages == tuple(sent) and not everything.has_more


async def test_paging_before_a_message_of_another_session_is_refused(store: SessionStore) -> None:
    first, second = new_session(), new_session()
    await store.create_sessions(sessions=[first, second])
    elsewhere = new_message("elsewhere")
    await store.append_message(user_id="alice", session_id=second.session_id, message=elsewhere)
    with pytest.raises(UnknownMessage):
        await store.list_messages(
            user_id="alice", session_id=first.session_id, limit=5, before=elsewhere.id
        )


async def test_search_finds_titles_tags_and_texts_in_any_case(store: SessionStore) -> None:
    by_text, by_title, by_tag, other = (
        new_session(),
        new_session(title="Windshield claim"),
        new_session(tags=("windshield",)),
        new_session(tags=("home",)),
    )
    await store.create_sessions(sessions=[by_text, by_title, by_tag, other])
    long_text = "x" * 300 + " my WINDSHIELD cracked on the highway " + "y" * 300
    await store.append_message(
        user_id="alice", session_id=by_text.session_id, message=new_message(long_text)
    )
    await store.create_session(session=new_session("bob", title="windshield"))
    page = await store.search_sessions(user_id="alice", text="windShield", tag=None, limit=10)
    found = {hit.summary.session_id: hit.match for hit in page.hits}
    assert set(found) == {by_text.session_id, by_title.session_id, by_tag.session_id}
    snippet = found[by_text.session_id]
    assert snippet is not None and "WINDSHIELD cracked" in snippet and len(snippet) <= 200
    assert found[by_title.session_id] is None
    tagged = await store.search_sessions(user_id="alice", text=None, tag="home", limit=10)
    assert [hit.summary.session_id for hit in tagged.hits] == [other.session_id]
    both = await store.search_sessions(user_id="alice", text="windshield", tag="home", limit=10)
    assert both.hits == ()


async def test_search_pages_like_the_list(store: SessionStore) -> None:
    sessions = [new_session(title=f"claim {i}") for i in range(7)]
    await store.create_sessions(sessions=sessions)
    seen: list[str] = []
    page = await store.search_sessions(user_id="alice", text="CLAIM", tag=None, limit=3)
    while True:
        seen += [hit.summary.session_id for hit in page.hits]
        if page.next_position is None:
            break
        page = await store.search_sessions(
            user_id="alice", text="claim", tag=None, limit=3, after=page.next_position
        )
    assert sorted(seen) == sorted(s.session_id for s in sessions)
    assert len(seen) == 7


async def test_sessions_idle_past_the_cutoff_are_deleted(store: SessionStore) -> None:
    now = utc_now()
    old = new_session(updated_at=now - timedelta(days=40))
    recent = new_session(updated_at=now - timedelta(days=2))
    await store.create_sessions(sessions=[old, recent])
    cutoff = now - timedelta(days=30)
    assert await store.delete_sessions_updated_before(cutoff=cutoff, dry_run=True) == [
        ("alice", old.session_id)
    ]
    await store.get_session(user_id="alice", session_id=old.session_id)  # a dry run keeps it
    assert await store.delete_sessions_updated_before(cutoff=cutoff) == [("alice", old.session_id)]
    with pytest.raises(SessionNotFound):
        await store.get_session(user_id="alice", session_id=old.session_id)
    await store.get_session(user_id="alice", session_id=recent.session_id)


async def test_sessions_updated_since_a_time_are_listed_for_every_user_oldest_first(
    store: SessionStore,
) -> None:
    now = utc_now()
    old = new_session(updated_at=now - timedelta(days=40))
    newer = new_session(user_id="bob", updated_at=now - timedelta(days=2))
    newest = new_session(updated_at=now - timedelta(hours=1))
    await store.create_sessions(sessions=[newest, old, newer])

    since = now - timedelta(days=30)
    assert await store.sessions_updated_since(since=since) == [
        ("bob", newer.session_id),
        ("alice", newest.session_id),
    ]
    assert await store.sessions_updated_since(since=newer.summary.updated_at) == [
        ("bob", newer.session_id),
        ("alice", newest.session_id),
    ]  # at `since` counts
    assert await store.sessions_updated_since(since=now) == []


async def test_an_append_returns_the_session_as_it_is_after_it(store: SessionStore) -> None:
    record = new_session(tags=("car",))
    await store.create_session(session=record)
    for text in ("  \nWhere is my claim?\nsecond line", "Another question"):
        result = await store.append_message(
            user_id="alice", session_id=record.session_id, message=new_message(text)
        )
        stored = await store.get_summary(user_id="alice", session_id=record.session_id)
        assert result.summary == stored
    assert stored.title == "Where is my claim?"
    assert stored.message_count == 2


async def test_concurrent_retries_of_one_message_store_it_once(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    message = new_message("sent ten times at once")
    results = await asyncio.gather(
        *(
            store.append_message(user_id="alice", session_id=record.session_id, message=message)
            for _ in range(10)
        )
    )
    assert sum(result.created for result in results) == 1
    assert all(result.message == message for result in results)
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages == (message,)
    assert stored.summary.message_count == 1


async def test_an_append_moves_updated_at_past_a_time_ahead_of_the_clock(
    store: SessionStore,
) -> None:
    ahead = utc_now() + timedelta(hours=1)
    record = new_session(updated_at=ahead)
    await store.create_session(session=record)
    result = await store.append_message(
        user_id="alice", session_id=record.session_id, message=new_message()
    )
    summary = await store.get_summary(user_id="alice", session_id=record.session_id)
    assert summary.updated_at == ahead + timedelta(microseconds=1)
    assert result.summary is None or result.summary == summary
