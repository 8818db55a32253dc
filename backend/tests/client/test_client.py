"""Every method of `CoraClient` against a real `cora serve`, in auth modes `local` and `none`."""

import uuid
from datetime import UTC, datetime

import pytest

from cora.client import CoraClient, NotFound, ReplyDelta, ReplyStarted, Versioned
from cora.schemas import (
    AccountPublic,
    ChatReply,
    Health,
    MessageCreate,
    MessagePublic,
    SessionPublic,
    SessionSearchSummary,
    SessionSummary,
    StopResult,
)
from tests.client.conftest import PASSWORD, Account


def test_healthz(cora: CoraClient) -> None:
    assert cora.healthz() == Health(status="ok")


def test_create_get_and_delete(cora: CoraClient, account: Account) -> None:
    created = cora.create_session(
        account.user_id, title="Car", tags=["auto"], metadata={"channel": "api"}
    )
    assert isinstance(created, SessionPublic)
    assert (created.title, created.tags, created.metadata) == ("Car", ["auto"], {"channel": "api"})
    assert created.messages == [] and created.user_id == account.user_id
    assert cora.get_session(account.user_id, created.session_id) == created
    assert cora.create_session(account.user_id).title is None
    cora.delete_session(account.user_id, created.session_id)
    with pytest.raises(NotFound):
        cora.get_session(account.user_id, created.session_id)


def test_append_makes_the_id_and_keeps_what_is_given(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    first = cora.append_message(account.user_id, sid, "user", "My windshield cracked")
    assert isinstance(first, MessagePublic) and uuid.UUID(first.id)
    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    chosen = str(uuid.uuid4()).upper()
    second = cora.append_message(
        account.user_id,
        sid,
        "assistant",
        "Sorry to hear that",
        message_id=chosen,
        timestamp=moment,
        metadata={"k": [1, 2]},
    )
    assert (second.id, second.timestamp, second.metadata) == (chosen.lower(), moment, {"k": [1, 2]})
    again = cora.append_message(
        account.user_id, sid, "assistant", "Sorry to hear that", message_id=chosen
    )
    assert again == second
    stored = cora.get_session(account.user_id, sid)
    assert stored.messages == [first, second]
    assert stored.title == "My windshield cracked"


def test_list_pages_and_the_iterator_follows_the_cursor(cora: CoraClient, account: Account) -> None:
    assert cora.list_sessions(account.user_id).sessions == []
    made = [cora.create_session(account.user_id, title=f"s{i}").session_id for i in range(5)]
    page = cora.list_sessions(account.user_id, limit=2)
    assert [s.session_id for s in page.sessions] == made[::-1][:2]
    assert page.next_cursor is not None
    following = cora.list_sessions(account.user_id, limit=2, cursor=page.next_cursor)
    assert [s.session_id for s in following.sessions] == made[::-1][2:4]
    every = list(cora.iter_sessions(account.user_id, page_size=2))
    assert [s.session_id for s in every] == made[::-1]
    assert all(type(s) is SessionSummary for s in every)


def test_search_by_text_and_tag(cora: CoraClient, account: Account) -> None:
    hail = cora.create_session(account.user_id, tags=["home"]).session_id
    cora.append_message(account.user_id, hail, "user", "Hail damaged my roof")
    other = cora.create_session(account.user_id, tags=["auto"]).session_id
    cora.append_message(account.user_id, other, "user", "Flat tyre")
    found = cora.search_sessions(account.user_id, "ROOF")
    assert [s.session_id for s in found.sessions] == [hail]
    hit = found.sessions[0]
    assert isinstance(hit, SessionSearchSummary) and hit.match == "Hail damaged my roof"
    tagged = cora.search_sessions(account.user_id, tag="auto")
    assert [(s.session_id, s.match) for s in tagged.sessions] == [(other, None)]
    assert cora.search_sessions(account.user_id, "roof", tag="auto").sessions == []
    assert [s.session_id for s in cora.iter_sessions(account.user_id, q="tyre")] == [other]


def test_replace_with_and_without_a_condition(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id, title="Before").session_id
    cora.append_message(account.user_id, sid, "user", "old")
    current = cora.get_versioned(account.user_id, sid)
    assert isinstance(current, Versioned) and current.etag
    kept_id = str(uuid.uuid4())
    replaced = cora.replace_session(
        account.user_id,
        sid,
        [
            MessageCreate(sender="user", text="new question", id=kept_id),
            {"sender": "assistant", "text": "new answer"},
        ],
        title=None,
        tags=["redone"],
        if_match=current.etag,
    )
    assert [(m.sender, m.text) for m in replaced.messages] == [
        ("user", "new question"),
        ("assistant", "new answer"),
    ]
    assert replaced.messages[0].id == kept_id and replaced.title == "new question"
    assert replaced.tags == ["redone"]
    again = cora.replace_session(account.user_id, sid, replaced.messages)
    assert again.messages == replaced.messages


def test_conditional_get(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    current = cora.get_versioned(account.user_id, sid)
    assert cora.get_if_changed(account.user_id, sid, current.etag) is None
    cora.append_message(account.user_id, sid, "user", "news")
    changed = cora.get_if_changed(account.user_id, sid, current.etag)
    assert changed is not None and changed.etag != current.etag
    assert [m.text for m in changed.session.messages] == ["news"]


def test_patch_and_conditional_delete(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id, title="Old", tags=["a"]).session_id
    patched = cora.patch_session(account.user_id, sid, title="New", metadata={"x": 1})
    assert isinstance(patched, SessionSummary) and not isinstance(patched, SessionPublic)
    assert (patched.title, patched.tags, patched.metadata) == ("New", ["a"], {"x": 1})
    etag = cora.get_versioned(account.user_id, sid).etag
    assert cora.patch_session(account.user_id, sid, tags=[], if_match=etag).tags == []
    etag = cora.get_versioned(account.user_id, sid).etag
    cora.delete_session(account.user_id, sid, if_match=etag)
    assert cora.list_sessions(account.user_id).sessions == []


def test_message_pages(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    ids = [cora.append_message(account.user_id, sid, "user", f"m{i}").id for i in range(5)]
    latest = cora.list_messages(account.user_id, sid, limit=2)
    assert [m.id for m in latest.messages] == ids[3:] and latest.has_more
    earlier = cora.list_messages(account.user_id, sid, limit=2, before=ids[3])
    assert [m.id for m in earlier.messages] == ids[1:3] and earlier.has_more
    first = cora.list_messages(account.user_id, sid, before=ids[1])
    assert [m.id for m in first.messages] == ids[:1] and not first.has_more


def test_chat_stores_both_messages_and_a_retry_with_its_id_stores_nothing(
    cora: CoraClient, account: Account
) -> None:
    sid = cora.create_session(account.user_id).session_id
    turn = cora.chat(account.user_id, sid, "What is a deductible?")
    assert isinstance(turn, ChatReply)
    assert (turn.user_message.sender, turn.reply.sender) == ("user", "assistant")
    assert "deductible" in turn.reply.text.lower()
    again = cora.chat(
        account.user_id, sid, "What is a deductible?", message_id=turn.user_message.id
    )
    assert again == turn
    assert cora.get_session(account.user_id, sid).messages == [turn.user_message, turn.reply]


def test_streaming_chat_yields_the_deltas_then_the_stored_reply(
    cora: CoraClient, account: Account
) -> None:
    sid = cora.create_session(account.user_id).session_id
    pieces = list(cora.chat_stream(account.user_id, sid, "How do I file a claim?"))
    started, *deltas, reply = pieces
    assert isinstance(started, ReplyStarted) and started.message.status == "streaming"
    assert len(deltas) > 1 and all(isinstance(d, ReplyDelta) for d in deltas)
    assert {d.message_id for d in deltas} == {reply.id} == {started.message.id}
    assert isinstance(reply, MessagePublic) and reply.sender == "assistant"
    assert "".join(deltas) == reply.text and reply.status == "complete"
    stored = cora.get_session(account.user_id, sid).messages
    assert [(m.sender, m.text) for m in stored] == [
        ("user", "How do I file a claim?"),
        ("assistant", reply.text),
    ]
    assert stored[1] == reply
    again = cora.regenerate(account.user_id, sid)
    assert again.user_message == stored[0] and again.reply.status == "complete"
    *_, streamed = cora.regenerate_stream(account.user_id, sid)
    assert isinstance(streamed, MessagePublic)
    after = cora.get_session(account.user_id, sid).messages
    assert [m.id for m in after] == [stored[0].id, reply.id, again.reply.id, streamed.id]


def test_stop_with_nothing_running(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    assert cora.stop_chat(account.user_id, sid) == StopResult(stopped=0)


def test_accounts(account: Account) -> None:
    if account.mode == "none":
        with account.client() as cora, pytest.raises(NotFound):
            cora.register("someone", PASSWORD)
        return
    with account.client() as cora:
        assert cora.me() == AccountPublic(user_id=account.user_id, username=account.username)
    with CoraClient(account.server.url) as fresh:
        assert fresh.token is None
        name = f"u-{uuid.uuid4().hex[:10]}"
        created = fresh.register(name, PASSWORD)
        assert isinstance(created, AccountPublic) and created.username == name
        token = fresh.login(name.upper(), PASSWORD)
        assert token.token_type == "bearer"
        assert (fresh.token, fresh.user_id) == (token.access_token, created.user_id)
        assert fresh.me() == created
        assert fresh.create_session(created.user_id).user_id == created.user_id
