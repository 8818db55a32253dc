"""Retries for real: a loopback proxy forwards a request to `cora serve`, lets it be answered,
and loses the answer; the client tries again and nothing is stored twice."""

import time

import pytest

from cora.client import CoraClient, CoraConnectionError, RetryPolicy, ServiceUnavailable
from tests.client.conftest import Account
from tests.client.proxy import LossyProxy

MESSAGES = "/messages"


def stored_texts(account: Account, sid: str) -> list[str]:
    with account.client() as direct:
        return [m.text for m in direct.get_session(account.user_id, sid).messages]


def test_an_append_whose_answer_is_lost_is_stored_once(account: Account, proxy: LossyProxy) -> None:
    with account.client(proxy.url) as cora:
        sid = cora.create_session(account.user_id).session_id
        proxy.drop_answers("POST", MESSAGES, times=2)
        message = cora.append_message(account.user_id, sid, "user", "only once, please")
    assert proxy.dropped == 2
    appends = [request for request in proxy.requests if request.endswith(MESSAGES)]
    assert appends == [f"POST /sessions/{account.user_id}/{sid}/messages"] * 3
    assert stored_texts(account, sid) == ["only once, please"]
    assert message.text == "only once, please"


async def test_the_async_client_retries_the_same_way(account: Account, proxy: LossyProxy) -> None:
    async with account.async_client(proxy.url) as acora:
        sid = (await acora.create_session(account.user_id)).session_id
        proxy.drop_answers("POST", MESSAGES)
        await acora.append_message(account.user_id, sid, "user", "async, once")
        proxy.drop_answers("GET", sid)
        assert [m.text for m in (await acora.get_session(account.user_id, sid)).messages] == [
            "async, once"
        ]
    assert proxy.dropped == 2


def test_a_chat_whose_answer_is_lost_is_answered_from_what_was_stored(
    account: Account, proxy: LossyProxy
) -> None:
    with account.client(proxy.url) as cora:
        sid = cora.create_session(account.user_id).session_id
        proxy.drop_answers("POST", "/chat")
        turn = cora.chat(account.user_id, sid, "What is a deductible?")
    assert proxy.dropped == 1
    assert stored_texts(account, sid) == ["What is a deductible?", turn.reply.text]


def test_a_conditional_replace_whose_answer_is_lost_is_recognised(
    account: Account, proxy: LossyProxy
) -> None:
    with account.client(proxy.url) as cora:
        sid = cora.create_session(account.user_id).session_id
        cora.append_message(account.user_id, sid, "user", "draft")
        etag = cora.get_versioned(account.user_id, sid).etag
        proxy.drop_answers("PUT", sid)
        replaced = cora.replace_session(
            account.user_id, sid, [{"sender": "user", "text": "final"}], if_match=etag
        )
    assert proxy.dropped == 1
    assert [m.text for m in replaced.messages] == ["final"]
    assert stored_texts(account, sid) == ["final"]


def test_a_delete_whose_answer_is_lost_is_done(account: Account, proxy: LossyProxy) -> None:
    with account.client(proxy.url) as cora:
        sid = cora.create_session(account.user_id).session_id
        proxy.drop_answers("DELETE", sid)
        cora.delete_session(account.user_id, sid)
        assert cora.list_sessions(account.user_id).sessions == []
    assert proxy.dropped == 1


def test_a_create_whose_answer_is_lost_is_not_tried_again(
    account: Account, proxy: LossyProxy
) -> None:
    """A second try would make a second session: the caller is told instead."""
    with account.client(proxy.url) as cora:
        proxy.drop_answers("POST", f"/sessions/{account.user_id}")
        with pytest.raises(CoraConnectionError):
            cora.create_session(account.user_id)
        assert len(cora.list_sessions(account.user_id).sessions) == 1


def test_retries_are_bounded(account: Account, proxy: LossyProxy) -> None:
    with account.client(proxy.url, retry=RetryPolicy(attempts=3, backoff=0.01)) as cora:
        sid = cora.create_session(account.user_id).session_id
        proxy.drop_answers("POST", MESSAGES, times=10)
        with pytest.raises(CoraConnectionError) as caught:
            cora.append_message(account.user_id, sid, "user", "lost three times")
    assert proxy.dropped == 3 and "after 3 tries" in caught.value.detail
    assert stored_texts(account, sid) == ["lost three times"]


def test_a_503_is_tried_again_after_its_retry_after(account: Account, proxy: LossyProxy) -> None:
    busy = b'{"detail": "storage unavailable"}'
    proxy.answer("GET", "/sessions/", "503 Service Unavailable", {"Retry-After": "1"}, busy)
    with account.client(proxy.url) as cora:
        started = time.monotonic()
        assert cora.list_sessions(account.user_id).sessions == []
        waited = time.monotonic() - started
        assert waited >= 1.0
        proxy.answer("GET", "/sessions/", "502 Bad Gateway", {}, b"<html>bad gateway</html>")
        assert cora.list_sessions(account.user_id).sessions == []
        proxy.answer("GET", "/sessions/", "503 Service Unavailable", {"Retry-After": "0"}, busy, 9)
        with pytest.raises(ServiceUnavailable) as caught:
            cora.list_sessions(account.user_id)
    assert caught.value.retry_after == 0 and caught.value.detail == "storage unavailable"


def test_a_stream_is_tried_again_while_nothing_has_arrived(
    account: Account, proxy: LossyProxy
) -> None:
    with account.client(proxy.url) as cora:
        sid = cora.create_session(account.user_id).session_id
        proxy.drop_answers("POST", "/chat")
        *_, reply = cora.chat_stream(account.user_id, sid, "How do I file a claim?")
    assert proxy.dropped == 1
    assert stored_texts(account, sid) == ["How do I file a claim?", reply.text]


def test_a_token_given_at_construction_is_sent(local_account: Account) -> None:
    with CoraClient(local_account.server.url, token=local_account.token) as cora:
        assert cora.me().user_id == local_account.user_id
