"""Every method of `AsyncCoraClient` against a real `cora serve`, in auth modes `local` and
`none` (the same calls as `CoraClient`, sent by `httpx.AsyncClient`)."""

import uuid

import pytest

from cora.client import AsyncCoraClient, Conflict, NotFound, PreconditionFailed, ReplyStarted
from cora.schemas import AccountPublic, Health, MessagePublic, SessionSearchSummary, StopResult
from tests.client.conftest import PASSWORD, Account


async def test_sessions_from_create_to_delete(acora: AsyncCoraClient, account: Account) -> None:
    user = account.user_id
    assert await acora.healthz() == Health(status="ok")
    made = [(await acora.create_session(user, title=f"t{i}")).session_id for i in range(3)]
    page = await acora.list_sessions(user, limit=2)
    assert [s.session_id for s in page.sessions] == made[::-1][:2]
    assert [s.session_id async for s in acora.iter_sessions(user, page_size=1)] == made[::-1]
    sid = made[0]
    message = await acora.append_message(user, sid, "user", "Hail hit my roof")
    assert await acora.append_message(user, sid, "user", "Hail hit my roof", message_id=message.id)
    with pytest.raises(Conflict):
        await acora.append_message(user, sid, "user", "other text", message_id=message.id)
    found = await acora.search_sessions(user, "roof")
    assert isinstance(found.sessions[0], SessionSearchSummary)
    assert [s.session_id async for s in acora.iter_sessions(user, q="roof")] == [sid]
    assert (await acora.search_sessions(user, tag="none-such")).sessions == []
    current = await acora.get_versioned(user, sid)
    assert current.session == await acora.get_session(user, sid)
    assert await acora.get_if_changed(user, sid, current.etag) is None
    patched = await acora.patch_session(user, sid, tags=["home"], if_match=current.etag)
    assert patched.tags == ["home"]
    with pytest.raises(PreconditionFailed):
        await acora.replace_session(user, sid, [], if_match=current.etag)
    fresh = await acora.get_versioned(user, sid)
    replaced = await acora.replace_session(
        user, sid, [{"sender": "system", "text": "Be brief"}], if_match=fresh.etag
    )
    assert [(m.sender, m.text) for m in replaced.messages] == [("system", "Be brief")]
    paged = await acora.list_messages(user, sid, limit=1)
    assert paged.messages == replaced.messages and not paged.has_more
    await acora.delete_session(user, sid)
    with pytest.raises(NotFound):
        await acora.get_session(user, sid)


async def test_chat_json_and_streamed(acora: AsyncCoraClient, account: Account) -> None:
    sid = (await acora.create_session(account.user_id)).session_id
    turn = await acora.chat(account.user_id, sid, "What is a deductible?")
    assert turn.reply.sender == "assistant"
    pieces = [p async for p in acora.chat_stream(account.user_id, sid, "And a premium?")]
    started, *deltas, reply = pieces
    assert isinstance(started, ReplyStarted) and started.message.id == reply.id
    assert all(isinstance(d, str) for d in deltas) and isinstance(reply, MessagePublic)
    assert "".join(deltas) == reply.text
    stored = (await acora.get_session(account.user_id, sid)).messages
    assert stored == [turn.user_message, turn.reply, stored[2], reply]
    assert await acora.stop_chat(account.user_id, sid) == StopResult(stopped=0)


async def test_accounts(account: Account) -> None:
    if account.mode == "none":
        async with account.async_client() as acora:
            with pytest.raises(NotFound):
                await acora.login("someone", PASSWORD)
        return
    async with AsyncCoraClient(account.server.url) as acora:
        name = f"u-{uuid.uuid4().hex[:10]}"
        created = await acora.register(name, PASSWORD)
        token = await acora.login(name, PASSWORD)
        assert acora.token == token.access_token and acora.user_id == created.user_id
        assert await acora.me() == AccountPublic(user_id=created.user_id, username=name)
