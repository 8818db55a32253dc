"""What every back end promises for accounts, attempts and revoked tokens (run on both)."""

import asyncio
import uuid
from datetime import timedelta

from cora.services.accounts import AccountStorage, erase_account, finish_erasures
from cora.store import Account, Stores
from cora.timeutil import utc_now
from tests.factories import new_message, new_session

WINDOW = timedelta(minutes=15)


def an_account(username: str = "Alice") -> Account:
    return Account(
        user_id=str(uuid.uuid4()), username=username, password_hash="h", created_at=utc_now()
    )


async def test_revocations_start_empty_and_keep_ids_until_they_expire(stores: Stores) -> None:
    revocations = stores.revocations
    state = await revocations.state(user_id="u-1")
    assert state.generation == 0
    assert state.revoked == frozenset()
    await revocations.revoke_token(
        user_id="u-1", token_id="live", expires_at=utc_now() + timedelta(hours=1)
    )
    await revocations.revoke_token(
        user_id="u-1", token_id="gone", expires_at=utc_now() - timedelta(seconds=1)
    )
    await revocations.revoke_token(
        user_id="u-2", token_id="other", expires_at=utc_now() + timedelta(hours=1)
    )
    assert (await revocations.state(user_id="u-1")).revoked == {"live"}


async def test_revoke_all_raises_the_generation_and_forget_user_drops_it(stores: Stores) -> None:
    revocations = stores.revocations
    assert await revocations.revoke_all(user_id="u-1") == 1
    assert await revocations.revoke_all(user_id="u-1") == 2
    await revocations.revoke_token(
        user_id="u-1", token_id="t", expires_at=utc_now() + timedelta(hours=1)
    )
    assert (await revocations.state(user_id="u-1")).generation == 2
    assert (await revocations.state(user_id="u-2")).generation == 0
    await revocations.forget_user(user_id="u-1")
    state = await revocations.state(user_id="u-1")
    assert (state.generation, state.revoked) == (0, frozenset())


async def test_of_thirty_simultaneous_attempts_five_are_granted(stores: Stores) -> None:
    now = utc_now()
    results = await asyncio.gather(
        *(
            stores.login_throttle.reserve_attempt(username="Bob", at=now, window=WINDOW, limit=5)
            for _ in range(30)
        )
    )
    assert sum(result.granted for result in results) == 5
    refused = [result for result in results if not result.granted]
    assert all(result.reopens_at == now + WINDOW for result in refused)
    await stores.login_throttle.clear_failures(username="BOB")
    again = await stores.login_throttle.reserve_attempt(
        username="bob", at=now, window=WINDOW, limit=5
    )
    assert again.granted


async def test_attempts_leave_the_window(stores: Stores) -> None:
    throttle = stores.login_throttle
    old = utc_now() - WINDOW - timedelta(seconds=1)
    for at in [old] * 5 + [utc_now()]:
        reservation = await throttle.reserve_attempt(username="c", at=at, window=WINDOW, limit=5)
        assert reservation.granted


async def test_set_password_hash_replaces_only_the_hash(stores: Stores) -> None:
    account = an_account()
    await stores.accounts.create_account(account=account)
    await stores.accounts.set_password_hash(user_id=account.user_id, password_hash="new")
    found = await stores.accounts.find_by_username(username="alice")
    assert found is not None
    assert (found.user_id, found.username, found.password_hash) == (
        account.user_id,
        "Alice",
        "new",
    )


async def test_a_begun_deletion_frees_the_name_and_is_finished_later(stores: Stores) -> None:
    account = an_account()
    await stores.accounts.create_account(account=account)
    await stores.accounts.begin_deletion(user_id=account.user_id)
    assert await stores.accounts.find_by_id(user_id=account.user_id) is None
    assert await stores.accounts.find_by_username(username="Alice") is None
    assert await stores.accounts.pending_deletions() == [account.user_id]
    again = an_account("ALICE")
    await stores.accounts.create_account(account=again)
    await stores.accounts.finish_deletion(user_id=account.user_id)
    await stores.accounts.finish_deletion(user_id=account.user_id)
    assert await stores.accounts.pending_deletions() == []
    assert await stores.accounts.find_by_username(username="alice") == again


async def test_delete_user_sessions_deletes_that_users_only(stores: Stores) -> None:
    mine = [new_session(user_id="u-1") for _ in range(3)]
    theirs = new_session(user_id="u-10")
    await stores.sessions.create_sessions(sessions=[*mine, theirs])
    await stores.sessions.append_message(
        user_id="u-1", session_id=mine[0].session_id, message=new_message()
    )
    assert await stores.sessions.delete_user_sessions(user_id="u-1") == 3
    assert (await stores.sessions.list_sessions(user_id="u-1", limit=10)).sessions == ()
    assert len((await stores.sessions.list_sessions(user_id="u-10", limit=10)).sessions) == 1
    assert await stores.sessions.delete_user_sessions(user_id="u-1") == 0


async def test_an_erasure_interrupted_after_its_intent_is_finished(stores: Stores) -> None:
    account = an_account()
    await stores.accounts.create_account(account=account)
    await stores.sessions.create_session(session=new_session(user_id=account.user_id))
    await stores.revocations.revoke_all(user_id=account.user_id)
    await stores.accounts.begin_deletion(user_id=account.user_id)
    storage = AccountStorage.of(stores)
    assert await finish_erasures(storage) == [account.user_id]
    assert await finish_erasures(storage) == []
    page = await stores.sessions.list_sessions(user_id=account.user_id, limit=10)
    assert page.sessions == ()
    assert (await stores.revocations.state(user_id=account.user_id)).generation == 0


async def test_erase_account_removes_everything(stores: Stores) -> None:
    account = an_account()
    await stores.accounts.create_account(account=account)
    await stores.sessions.create_session(session=new_session(user_id=account.user_id))
    assert await erase_account(AccountStorage.of(stores), user_id=account.user_id) == 1
    assert await stores.accounts.find_by_id(user_id=account.user_id) is None
    assert await stores.accounts.pending_deletions() == []
