"""The store contract for v2's additions (pinned, archived, feedback, tags, snippets): every back
end must pass it (the `store` fixture is parametrised over both)."""

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import timedelta

import orjson
import pytest

from cora.domain import Feedback, SessionChanges, SessionFilter, SessionRecord, TagCount
from cora.encoding import dumps, message_content, session_content, summary_content
from cora.errors import FeedbackNotAllowed, MessageNotFound, SessionNotFound, UnknownMessage
from cora.ids import new_uuid
from cora.store.base import EVERY_SESSION, ListPosition, SessionStore
from cora.timeutil import utc_now
from tests.factories import new_message, new_session

ARCHIVED = SessionFilter(archived=True)
NOT_ARCHIVED = SessionFilter(archived=False)
PINNED = SessionFilter(archived=False, pinned_only=True)


async def _ids(store: SessionStore, view: SessionFilter, limit: int = 50) -> list[str]:
    page = await store.list_sessions(user_id="alice", limit=limit, view=view)
    return [summary.session_id for summary in page.sessions]


async def _flag(store: SessionStore, session_id: str, **flags: bool) -> None:
    await store.replace_session(
        user_id="alice", session_id=session_id, messages=None, changes=SessionChanges(**flags)
    )


async def test_pinned_and_archived_are_kept_and_filter_the_list(store: SessionStore) -> None:
    records = [new_session() for _ in range(4)]
    for record in records:
        await store.create_session(session=record)
    plain, pinned, archived, both = (r.session_id for r in records)
    await _flag(store, pinned, pinned=True)
    await _flag(store, archived, archived=True)
    await _flag(store, both, pinned=True, archived=True)

    summary = await store.get_summary(user_id="alice", session_id=both)
    assert summary.pinned and summary.archived
    session = await store.get_session(user_id="alice", session_id=pinned)
    assert session.summary.pinned and not session.summary.archived

    assert set(await _ids(store, NOT_ARCHIVED)) == {plain, pinned}
    assert set(await _ids(store, ARCHIVED)) == {archived, both}
    assert await _ids(store, PINNED) == [pinned]
    assert await _ids(store, SessionFilter(archived=True, pinned_only=True)) == [both]
    assert len(await _ids(store, SessionFilter())) == 4  # every session (an export)

    await _flag(store, archived, archived=False)
    await _flag(store, pinned, pinned=False)
    assert set(await _ids(store, NOT_ARCHIVED)) == {plain, pinned, archived}
    assert await _ids(store, PINNED) == []


async def test_flags_survive_other_writes(store: SessionStore) -> None:
    record = new_session()
    await store.create_session(session=record)
    await _flag(store, record.session_id, pinned=True, archived=True)
    await store.append_message(user_id="alice", session_id=record.session_id, message=new_message())
    await store.replace_session(
        user_id="alice",
        session_id=record.session_id,
        messages=[new_message("replaced")],
        changes=SessionChanges(tags=("x",)),
    )
    summary = (await store.get_session(user_id="alice", session_id=record.session_id)).summary
    assert summary.pinned and summary.archived and summary.tags == ("x",)


async def test_a_filtered_list_pages_without_gaps(store: SessionStore) -> None:
    records = [new_session() for _ in range(7)]
    for index, record in enumerate(records):
        await store.create_session(session=record)
        if index % 2:
            await _flag(store, record.session_id, archived=True)
    expected = await _ids(store, NOT_ARCHIVED)
    assert len(expected) == 4
    seen: list[str] = []
    after: ListPosition | None = None
    while True:
        page = await store.list_sessions(user_id="alice", limit=3, after=after, view=NOT_ARCHIVED)
        seen += [summary.session_id for summary in page.sessions]
        if page.next_position is None:
            break
        after = page.next_position
    assert seen == expected


async def test_search_leaves_out_what_the_view_does(store: SessionStore) -> None:
    kept, hidden = new_session(title="Hail claim"), new_session(title="Hail damage")
    for record in (kept, hidden):
        await store.create_session(session=record)
    await _flag(store, hidden.session_id, archived=True)
    page = await store.search_sessions(
        user_id="alice", text="hail", tag=None, limit=10, view=NOT_ARCHIVED
    )
    assert [hit.summary.session_id for hit in page.hits] == [kept.session_id]
    page = await store.search_sessions(
        user_id="alice", text="hail", tag=None, limit=10, view=ARCHIVED
    )
    assert [hit.summary.session_id for hit in page.hits] == [hidden.session_id]


async def test_tag_counts_most_used_first(store: SessionStore) -> None:
    for tags in [("auto", "claim"), ("claim",), ("home", "claim"), ("auto",), ()]:
        await store.create_session(session=new_session(tags=tags))
    archived = new_session(tags=("home",))
    await store.create_session(session=archived)
    await _flag(store, archived.session_id, archived=True)
    await store.create_session(session=new_session("bob", tags=("bob-only",)))
    assert await store.tag_counts(user_id="alice") == (
        TagCount("claim", 3),
        TagCount("auto", 2),
        TagCount("home", 2),
    )
    assert await store.tag_counts(user_id="nobody") == ()


async def test_feedback_on_a_message_in_the_middle(store: SessionStore) -> None:
    messages = (
        new_message("question"),
        new_message("answer", "assistant"),
        new_message("thanks"),
        new_message("welcome", "assistant"),
    )
    record = new_session(messages=messages)
    await store.create_session(session=record)
    target = messages[1].id
    given = Feedback(rating="down", comment="Not what I asked")
    changed = await store.set_feedback(
        user_id="alice", session_id=record.session_id, message_id=target, feedback=given
    )
    assert changed.message.feedback == given and changed.message.text == "answer"
    assert changed.previous is None

    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert [m.feedback for m in stored.messages] == [None, given, None, None]
    assert [m.text for m in stored.messages] == [m.text for m in messages]
    assert stored.summary.updated_at > record.summary.updated_at
    assert stored.summary.message_count == 4

    # Appends and reads of the latest messages work on the rewritten file.
    later = new_message("one more")
    await store.append_message(user_id="alice", session_id=record.session_id, message=later)
    page = await store.list_messages(user_id="alice", session_id=record.session_id, limit=4)
    assert [m.id for m in page.messages] == [target, messages[2].id, messages[3].id, later.id]
    assert page.messages[0].feedback == given
    retry = await store.append_message(
        user_id="alice", session_id=record.session_id, message=messages[1]
    )
    assert not retry.created and retry.message.feedback == given

    switched = await store.set_feedback(
        user_id="alice", session_id=record.session_id, message_id=target, feedback=Feedback("up")
    )
    assert switched.previous == given and switched.message.feedback == Feedback("up")
    cleared = await store.set_feedback(
        user_id="alice", session_id=record.session_id, message_id=target, feedback=None
    )
    assert cleared.message.feedback is None and cleared.previous == Feedback("up")
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert all(m.feedback is None for m in stored.messages)
    assert len(stored.messages) == 5


async def test_feedback_keeps_when_it_was_set(store: SessionStore) -> None:
    """`feedback_at` is the write's `updated_at`, read back by every read and kept by a copy of
    the record (`cora transfer`); clearing the feedback clears it."""
    reply = new_message("answer", "assistant")
    record = new_session(messages=(new_message("question"), reply))
    await store.create_session(session=record)
    session = record.session_id
    assert record.messages[1].feedback_at is None

    changed = await store.set_feedback(
        user_id="alice", session_id=session, message_id=reply.id, feedback=Feedback("down")
    )
    stored = await store.get_session(user_id="alice", session_id=session)
    assert changed.message.feedback_at == stored.summary.updated_at
    assert stored.messages[1].feedback_at == stored.summary.updated_at
    await store.append_message(user_id="alice", session_id=session, message=new_message("more"))
    page = await store.list_messages(user_id="alice", session_id=session, limit=3)
    assert page.messages[1].feedback_at == changed.message.feedback_at

    copy_id = new_uuid()
    summary = dataclasses.replace(stored.summary, user_id="bob", session_id=copy_id)
    await store.create_session(session=dataclasses.replace(stored, summary=summary))
    copied = await store.get_session(user_id="bob", session_id=copy_id)
    assert copied.messages[1].feedback_at == changed.message.feedback_at

    cleared = await store.set_feedback(
        user_id="alice", session_id=session, message_id=reply.id, feedback=None
    )
    stored = await store.get_session(user_id="alice", session_id=session)
    assert cleared.message.feedback_at is None and stored.messages[1].feedback_at is None


async def test_feedback_without_a_comment_reads_back_equal(store: SessionStore) -> None:
    reply = new_message("answer", "assistant")
    record = new_session(messages=(reply,))
    await store.create_session(session=record)
    await store.set_feedback(
        user_id="alice",
        session_id=record.session_id,
        message_id=reply.id,
        feedback=Feedback(rating="up"),
    )
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert stored.messages[0].feedback == Feedback(rating="up", comment=None)


async def test_feedback_refusals_change_nothing(store: SessionStore) -> None:
    question = new_message("question")
    record = new_session(messages=(question, new_message("answer", "assistant")))
    await store.create_session(session=record)
    up = Feedback(rating="up")
    with pytest.raises(FeedbackNotAllowed):
        await store.set_feedback(
            user_id="alice", session_id=record.session_id, message_id=question.id, feedback=up
        )
    unknown = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(MessageNotFound):
        await store.set_feedback(
            user_id="alice", session_id=record.session_id, message_id=unknown, feedback=up
        )
    with pytest.raises(SessionNotFound):
        await store.set_feedback(
            user_id="bob", session_id=record.session_id, message_id=question.id, feedback=up
        )
    stored = await store.get_session(user_id="alice", session_id=record.session_id)
    assert stored == record


async def test_the_match_is_a_plain_text_snippet(store: SessionStore) -> None:
    text = "# Windshield\n\n" + "Your **policy** covers " * 20 + "a cracked _windscreen_ too."
    record = new_session(messages=(new_message(text, "assistant"),))
    await store.create_session(session=record)
    page = await store.search_sessions(user_id="alice", text="windscreen", tag=None, limit=5)
    match = page.hits[0].match
    assert match is not None and len(match) <= 200
    assert match.startswith("…") and "windscreen" in match[:120]
    assert "*" not in match and "_" not in match and "#" not in match


Page = tuple[list[object], ListPosition | None]  # a list page's summaries as JSON, and its next


async def _every_page(read: Callable[[ListPosition | None], Awaitable[Page]]) -> list[Page]:
    pages: list[Page] = []
    after: ListPosition | None = None
    while True:
        pages.append(await read(after))
        if (after := pages[-1][1]) is None:
            return pages


def _page_readers(
    store: SessionStore, view: SessionFilter, limit: int
) -> tuple[Callable[[ListPosition | None], Awaitable[Page]], ...]:
    """Reads of a page as `list_sessions_encoded` writes it, and as the API encodes
    `list_sessions`' records."""

    shown = {"user_id": "alice", "limit": limit, "view": view}

    async def encoded(after: ListPosition | None) -> Page:
        page = await store.list_sessions_encoded(after=after, **shown)
        return orjson.loads(page.sessions_json), page.next_position

    async def from_records(after: ListPosition | None) -> Page:
        page = await store.list_sessions(after=after, **shown)
        return [orjson.loads(dumps(summary_content(s))) for s in page.sessions], page.next_position

    return encoded, from_records


async def test_the_encoded_list_is_the_records_list_encoded(store: SessionStore) -> None:
    whole_second = utc_now().replace(microsecond=0) - timedelta(days=1)
    odd = [
        new_session(title='quote " backslash \\ tab \t bell \x07 é 日本 🚗', tags=("é", "a b")),
        new_session(title=None, updated_at=whole_second),
        dataclasses.replace(
            new_session(),
            summary=dataclasses.replace(
                new_session().summary,
                metadata={
                    "nested": {"list": [1, 2.5, -0.0001, None, True, "ü"], "deep": {"x": {}}},
                    "big": 2**62,
                    "empty": [],
                    "text": "line\nbreak \u2028 </script>",
                },
            ),
        ),
        *(new_session(title=f"plain {i}") for i in range(6)),
    ]
    await store.create_sessions(sessions=odd)
    await _flag(store, odd[3].session_id, pinned=True)
    await _flag(store, odd[4].session_id, archived=True)
    await store.append_message(user_id="alice", session_id=odd[5].session_id, message=new_message())
    renamed = SessionChanges(set_title=True, title="renamed", tags=("x",), metadata={"k": [1]})
    await store.replace_session(
        user_id="alice", session_id=odd[6].session_id, messages=None, changes=renamed
    )

    for view in (EVERY_SESSION, NOT_ARCHIVED, ARCHIVED, PINNED):
        for limit in (1, 4, 50):
            encoded, from_records = _page_readers(store, view, limit)
            pages = await _every_page(encoded)
            assert pages == await _every_page(from_records), (view, limit)
    first_page = (await _every_page(_page_readers(store, EVERY_SESSION, 4)[0]))[0]
    assert len(first_page[0]) == 4


async def test_the_encoded_list_of_an_unknown_user_is_empty(store: SessionStore) -> None:
    page = await store.list_sessions_encoded(user_id="nobody", limit=5)
    assert orjson.loads(page.sessions_json) == [] and page.next_position is None


async def _session_with_odd_messages(store: SessionStore) -> tuple[SessionRecord, list[str]]:
    """A session of nine messages with odd text, metadata and times, two with feedback."""
    whole_second = utc_now().replace(microsecond=0) - timedelta(hours=1)
    texts = ['quote " backslash \\ tab \t bell \x07 é 日本 🚗', "</script>\u2028", "", "plain"]
    messages = [
        dataclasses.replace(
            new_message(texts[i % len(texts)], "assistant" if i % 2 else "user"),
            metadata={"n": i, "nested": {"list": [1, 2.5, None, True, "ü"]}, "big": 2**62},
        )
        for i in range(9)
    ]
    messages[0] = dataclasses.replace(messages[0], timestamp=whole_second, metadata={})
    record = new_session(title="Odd ✓", tags=("x",), messages=tuple(messages))
    await store.create_session(session=record)
    ids = [m.id for m in messages]
    for message_id, feedback in (
        (ids[1], Feedback(rating="up")),
        (ids[3], Feedback(rating="down", comment='too "long"\nwrong')),
    ):
        await store.set_feedback(
            user_id="alice", session_id=record.session_id, message_id=message_id, feedback=feedback
        )
    return record, ids


async def test_an_encoded_page_of_messages_is_the_records_page_encoded(
    store: SessionStore,
) -> None:
    record, ids = await _session_with_odd_messages(store)
    for limit in (1, 4, 50):
        for before in (None, ids[-1], ids[5], ids[0]):
            page = await store.list_messages(
                user_id="alice", session_id=record.session_id, limit=limit, before=before
            )
            encoded = await store.list_messages_encoded(
                user_id="alice", session_id=record.session_id, limit=limit, before=before
            )
            expected = [orjson.loads(dumps(message_content(m))) for m in page.messages]
            assert orjson.loads(encoded.messages_json) == expected, (limit, before)
            assert encoded.has_more == page.has_more, (limit, before)


async def test_an_encoded_page_of_messages_refuses_another_users_session_and_unknown_before(
    store: SessionStore,
) -> None:
    record = new_session(messages=(new_message(),))
    await store.create_session(session=record)
    with pytest.raises(SessionNotFound):
        await store.list_messages_encoded(user_id="bob", session_id=record.session_id, limit=5)
    for unknown in (new_message().id, "not-a-uuid"):
        with pytest.raises(UnknownMessage):
            await store.list_messages_encoded(
                user_id="alice", session_id=record.session_id, limit=5, before=unknown
            )
    empty = new_session()
    await store.create_session(session=empty)
    page = await store.list_messages_encoded(user_id="alice", session_id=empty.session_id, limit=5)
    assert orjson.loads(page.messages_json) == [] and not page.has_more


async def test_an_encoded_session_is_the_record_encoded(store: SessionStore) -> None:
    record, _ = await _session_with_odd_messages(store)
    empty = new_session()
    await store.create_session(session=empty)
    for session_id in (record.session_id, empty.session_id):
        stored = await store.get_session(user_id="alice", session_id=session_id)
        encoded = await store.get_session_encoded(user_id="alice", session_id=session_id)
        assert orjson.loads(encoded.session_json) == orjson.loads(dumps(session_content(stored)))
        assert encoded.etag == stored.summary.etag
    assert len(orjson.loads(encoded.session_json)["messages"]) == 0
    with pytest.raises(SessionNotFound):
        await store.get_session_encoded(user_id="bob", session_id=record.session_id)
