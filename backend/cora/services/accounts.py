"""Registration and log-in: hashing off the event loop, throttling failed attempts."""

import math
import uuid
from datetime import timedelta

import anyio.to_thread

from cora.auth.passwords import hash_password, verify_password
from cora.auth.tokens import Principal, TokenCodec
from cora.errors import InvalidCredentials, TooManyAttempts
from cora.store.accounts import Account, AccountStore, LoginThrottle
from cora.timeutil import utc_now


async def register_account(accounts: AccountStore, *, username: str, password: str) -> Account:
    """Hash the password (off the event loop) and store a new account with a new user id."""
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    account = Account(
        user_id=str(uuid.uuid4()),
        username=username,
        password_hash=password_hash,
        created_at=utc_now(),
    )
    await accounts.create_account(account=account)
    return account


class AccountService:
    def __init__(
        self,
        accounts: AccountStore,
        throttle: LoginThrottle,
        tokens: TokenCodec,
        *,
        max_failures: int,
        window: timedelta,
    ) -> None:
        self._accounts = accounts
        self._throttle = throttle
        self._tokens = tokens
        self._max_failures = max_failures
        self._window = window

    async def register(self, *, username: str, password: str) -> Account:
        return await register_account(self._accounts, username=username, password=password)

    async def log_in(self, *, username: str, password: str) -> tuple[Account, str]:
        """The account and a fresh token; `TooManyAttempts` once the window holds too many fails."""
        now = utc_now()
        failures = await self._throttle.recent_failures(username=username, since=now - self._window)
        if len(failures) >= self._max_failures:
            reopens = failures[-self._max_failures] + self._window
            raise TooManyAttempts(max(1, math.ceil((reopens - now).total_seconds())))
        account = await self._accounts.find_by_username(username=username)
        stored_hash = account.password_hash if account else None
        valid = await anyio.to_thread.run_sync(verify_password, stored_hash, password)
        if account is None or not valid:
            await self._throttle.record_failure(username=username, at=now)
            raise InvalidCredentials()
        if failures:
            await self._throttle.clear_failures(username=username)
        principal = Principal(user_id=account.user_id, username=account.username)
        return account, self._tokens.issue(principal)
