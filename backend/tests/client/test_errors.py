"""Cora's error answers become typed exceptions carrying the status and the `detail`."""

import uuid

import pytest

from cora.client import (
    AssistantFailed,
    AsyncCoraClient,
    Conflict,
    CoraClient,
    CoraClientError,
    CoraConnectionError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    RateLimited,
    RetryPolicy,
    ServerError,
    ServiceUnavailable,
    TooLarge,
    Unauthorized,
    ValidationFailed,
)
from tests.client.conftest import PASSWORD, Account, new_account
from tests.client.proxy import LossyProxy
from tests.conftest import free_port


def test_404_for_a_session_that_is_not_there(cora: CoraClient, account: Account) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFound) as caught:
        cora.get_session(account.user_id, missing)
    assert caught.value.status == 404 and missing in caught.value.detail
    assert isinstance(caught.value, CoraClientError)
    with pytest.raises(NotFound):
        cora.append_message(account.user_id, missing, "user", "hello")


def test_409_for_a_message_id_with_other_text(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    stored = cora.append_message(account.user_id, sid, "user", "first")
    with pytest.raises(Conflict) as caught:
        cora.append_message(account.user_id, sid, "user", "second", message_id=stored.id)
    assert caught.value.status == 409 and stored.id in caught.value.detail


def test_409_for_a_taken_username(local_account: Account) -> None:
    with local_account.client() as cora, pytest.raises(Conflict):
        cora.register(local_account.username.upper(), PASSWORD)


def test_412_for_a_stale_etag(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    stale = cora.get_versioned(account.user_id, sid).etag
    cora.append_message(account.user_id, sid, "user", "meanwhile")
    for write in (
        lambda: cora.replace_session(account.user_id, sid, [], if_match=stale),
        lambda: cora.patch_session(account.user_id, sid, title="x", if_match=stale),
        lambda: cora.delete_session(account.user_id, sid, if_match=stale),
    ):
        with pytest.raises(PreconditionFailed) as caught:
            write()
        assert caught.value.status == 412
    assert [m.text for m in cora.get_session(account.user_id, sid).messages] == ["meanwhile"]


def test_401_without_or_with_a_bad_token(local_account: Account) -> None:
    with CoraClient(local_account.server.url) as anonymous:
        with pytest.raises(Unauthorized) as caught:
            anonymous.list_sessions(local_account.user_id)
        assert caught.value.status == 401
        with pytest.raises(Unauthorized):
            anonymous.me()
    forged = CoraClient(local_account.server.url, token=local_account.token + "x")
    with forged, pytest.raises(Unauthorized):
        forged.create_session(local_account.user_id)
    with CoraClient(local_account.server.url) as cora, pytest.raises(Unauthorized):
        cora.login(local_account.username, PASSWORD + "wrong")


def test_403_for_another_users_sessions(local_account: Account) -> None:
    other = new_account(local_account.server, "local")
    with local_account.client() as cora:
        with pytest.raises(Forbidden) as caught:
            cora.list_sessions(other.user_id)
        assert caught.value.status == 403
        with pytest.raises(Forbidden):
            cora.create_session(other.user_id)


def test_422_for_input_the_server_refuses(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    with pytest.raises(ValidationFailed) as caught:
        cora.append_message(account.user_id, sid, "user", "")
    assert caught.value.status == 422
    assert caught.value.detail[0]["loc"] == ["body", "text"]
    with pytest.raises(ValidationFailed):
        cora.list_messages(account.user_id, sid, before=str(uuid.uuid4()))
    with pytest.raises(ValidationFailed):
        cora.get_session(account.user_id, "not-a-uuid")
    with pytest.raises(ValidationFailed):
        cora.list_sessions(account.user_id, limit=0)


def test_413_for_a_text_over_the_limit(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    with pytest.raises(TooLarge) as caught:
        cora.append_message(account.user_id, sid, "user", "x" * 100_001)
    assert caught.value.status == 413
    assert cora.get_session(account.user_id, sid).messages == []


def test_429_with_retry_after_after_too_many_failed_logins(local_account: Account) -> None:
    with CoraClient(local_account.server.url) as cora:
        for _ in range(5):
            with pytest.raises(Unauthorized):
                cora.login(local_account.username, "not the password")
        with pytest.raises(RateLimited) as caught:
            cora.login(local_account.username, PASSWORD)
    assert caught.value.status == 429
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


def test_500_for_a_session_whose_file_is_damaged(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    path = account.server.data_dir / "sessions" / f"{account.user_id}_{sid}.json"
    path.write_text("{ this is not a session")
    with pytest.raises(ServerError) as caught:
        cora.get_session(account.user_id, sid)
    assert caught.value.status == 500 and sid in caught.value.detail


def test_503_from_the_way_to_the_server_keeps_its_retry_after(account: Account) -> None:
    proxy = LossyProxy(account.server.url)
    try:
        body = b'{"detail": "storage unavailable"}'
        proxy.answer("GET", "/sessions/", "503 Service Unavailable", {"Retry-After": "120"}, body)
        with account.client(proxy.url) as cora, pytest.raises(ServiceUnavailable) as caught:
            cora.list_sessions(account.user_id)
    finally:
        proxy.close()
    assert caught.value.status == 503 and caught.value.retry_after == 120
    assert caught.value.detail == "storage unavailable"
    assert len(proxy.requests) == 1  # Retry-After beyond max_retry_after: raised at once


def test_no_server_at_all(account: Account) -> None:
    policy = RetryPolicy(attempts=3, backoff=0.01)
    nowhere = CoraClient(f"http://127.0.0.1:{free_port()}", retry=policy)
    with nowhere, pytest.raises(CoraConnectionError) as caught:
        nowhere.create_session(account.user_id)
    assert caught.value.status is None and "after 3 tries" in caught.value.detail


async def test_502_and_the_error_event_when_the_assistant_fails(model_cora, model_server) -> None:
    model_server.script.mode = "error_status"
    async with AsyncCoraClient(model_cora.url, retry=RetryPolicy(attempts=1)) as acora:
        sid = (await acora.create_session("alice")).session_id
        with pytest.raises(AssistantFailed) as caught:
            await acora.chat("alice", sid, "Are you there?")
        assert caught.value.status == 502 and caught.value.detail
        with pytest.raises(AssistantFailed):
            async for _ in acora.chat_stream("alice", sid, "Still there?"):
                pass
        stored = await acora.get_session("alice", sid)
    assert [(m.sender, m.text, m.status) for m in stored.messages] == [
        ("user", "Are you there?", "complete"),
        ("assistant", "", "failed"),
        ("user", "Still there?", "complete"),
        ("assistant", "", "failed"),
    ]
