"""Accounts (contract 4): registration, log-in, log-out, password change and erasure.

Every password check first reserves an attempt (`LoginThrottle.reserve_attempt`), so that of
any number of simultaneous guesses at most the allowed number are checked; a success clears
them. Hashing runs off the event loop.
"""

import asyncio
import logging
import math
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio.to_thread

from cora.auth.passwords import hash_password, verify_password
from cora.auth.revocation import CACHE_SECONDS, TokenGate, TokenRevocations
from cora.auth.tokens import Principal, TokenCodec
from cora.errors import (
    InvalidCredentials,
    NotAuthenticated,
    StorageFull,
    TooManyAttempts,
    WrongPassword,
)
from cora.events import EventBus
from cora.ids import new_uuid
from cora.store.accounts import Account, AccountStore, LoginThrottle
from cora.store.base import SessionStore
from cora.store.factory import Stores
from cora.timeutil import utc_now

logger = logging.getLogger(__name__)

REGISTRATION_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class AccountStorage:
    """The stores an account lives in."""

    accounts: AccountStore
    throttle: LoginThrottle
    revocations: TokenRevocations
    sessions: SessionStore
    events: EventBus

    @classmethod
    def of(cls, stores: Stores) -> "AccountStorage":
        return cls(
            stores.accounts,
            stores.login_throttle,
            stores.revocations,
            stores.sessions,
            stores.events,
        )


@dataclass(frozen=True, slots=True)
class Policy:
    max_failures: int
    window: timedelta
    registrations_per_hour: int = 0


async def register_account(accounts: AccountStore, *, username: str, password: str) -> Account:
    """Hash the password (off the event loop) and store a new account with a new user id."""
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    account = Account(
        user_id=new_uuid(),
        username=username,
        password_hash=password_hash,
        created_at=utc_now(),
    )
    await accounts.create_account(account=account)
    return account


async def reset_password(
    storage: AccountStorage, account: Account, *, password: str, settle_seconds: float = 0.0
) -> None:
    """Set a new password. Tokens end first: a failure in between (a full disk) leaves the
    user logged out, not exposed. `settle_seconds`: as in `erase_account`."""
    new_hash = await anyio.to_thread.run_sync(hash_password, password)
    await storage.revocations.revoke_all(user_id=account.user_id)
    await storage.accounts.set_password_hash(user_id=account.user_id, password_hash=new_hash)
    await asyncio.sleep(settle_seconds)


async def erase_account(
    storage: AccountStorage, *, user_id: str, settle_seconds: float = 0.0
) -> int:
    """Erase the account and everything it owns; how many sessions were deleted.

    The intent is recorded first (`begin_deletion`), so that a crash part-way is finished by
    `finish_erasures` at the next start. `settle_seconds` is how long other processes may
    trust a cached check of a token (`CACHE_SECONDS`): waiting it out means that, on return,
    no process still takes the account's tokens, and requests already admitted with them have
    ended before the sessions are deleted.
    """
    await storage.accounts.begin_deletion(user_id=user_id)
    await asyncio.sleep(settle_seconds)
    return await _finish_erasure(storage, user_id)


async def finish_erasures(storage: AccountStorage) -> list[str]:
    """Finish every erasure a crash interrupted; the user ids finished."""
    pending = await storage.accounts.pending_deletions()
    for user_id in pending:
        deleted = await _finish_erasure(storage, user_id)
        logger.warning("finished erasing account %s (%d sessions)", user_id, deleted)
    return pending


async def _finish_erasure(storage: AccountStorage, user_id: str) -> int:
    deleted = await storage.sessions.delete_user_sessions(user_id=user_id)
    await storage.revocations.forget_user(user_id=user_id)
    await storage.events.forget_user(user_id)  # their events carry the message texts
    await storage.accounts.finish_deletion(user_id=user_id)
    return deleted


class AccountService:
    def __init__(
        self, storage: AccountStorage, tokens: TokenCodec, gate: TokenGate, policy: Policy
    ) -> None:
        self._storage = storage
        self._accounts = storage.accounts
        self._throttle = storage.throttle
        self._revocations = storage.revocations
        self._tokens = tokens
        self._gate = gate
        self._policy = policy

    async def register(self, *, username: str, password: str, address: str | None) -> Account:
        """A new account; `TooManyAttempts` past the registrations allowed per address."""
        limit = self._policy.registrations_per_hour
        if limit and address is not None:
            now = utc_now()
            reservation = await self._throttle.reserve_attempt(
                username=f"address:{address}", at=now, window=REGISTRATION_WINDOW, limit=limit
            )
            if not reservation.granted:
                raise TooManyAttempts(
                    _seconds_until(reservation.reopens_at, now),
                    "Too many registrations from this address; try again later",
                )
        return await register_account(self._accounts, username=username, password=password)

    async def log_in(self, *, username: str, password: str) -> tuple[Account, str]:
        """The account and a fresh token; `TooManyAttempts` once the window holds too many
        attempts, `InvalidCredentials` for a wrong name or password."""
        account = await self._checked(username, password)
        if account is None:
            raise InvalidCredentials()
        state = await self._revocations.state(user_id=account.user_id)
        principal = Principal(user_id=account.user_id, username=account.username)
        return account, self._tokens.issue(principal, generation=state.generation)

    async def log_out(self, principal: Principal) -> None:
        """The token `principal` came from stops working, on every worker and server, by the
        time this returns: this process refuses it at once, the others once their cached
        check of it (`CACHE_SECONDS`) has run out, which this waits for."""
        if principal.token_id is None:
            raise NotAuthenticated("The token has no id; log in again")
        await self._revocations.revoke_token(
            user_id=principal.user_id,
            token_id=principal.token_id,
            expires_at=principal.expires_at or utc_now() + self._tokens.ttl,
        )
        self._gate.forget(principal.user_id)
        await asyncio.sleep(CACHE_SECONDS)
        logger.info("user %s logged out", principal.user_id)

    async def change_password(self, principal: Principal, *, current: str, new: str) -> None:
        """`WrongPassword` for a wrong `current` (a failed log-in); every earlier token ends, on
        every worker and server, by the time this returns (as in `log_out`)."""
        account = await self._account_with_password(principal, current)
        try:
            await reset_password(self._storage, account, password=new)
        finally:
            self._gate.forget(account.user_id)
        await asyncio.sleep(CACHE_SECONDS)
        logger.info("user %s changed their password", account.user_id)

    async def delete_account(self, principal: Principal, *, password: str) -> None:
        """`WrongPassword` for a wrong password; else the account and its sessions are gone."""
        account = await self._account_with_password(principal, password)
        self._gate.forget(account.user_id)
        deleted = await erase_account(
            self._storage, user_id=account.user_id, settle_seconds=CACHE_SECONDS
        )
        self._gate.forget(account.user_id)
        logger.info("erased account %s and its %d sessions", account.user_id, deleted)

    async def _account_with_password(self, principal: Principal, password: str) -> Account:
        account = await self._accounts.find_by_id(user_id=principal.user_id)
        if account is None:
            raise NotAuthenticated("The token's account no longer exists")
        if await self._checked(account.username, password) is None:
            raise WrongPassword()
        return account

    async def _checked(self, username: str, password: str) -> Account | None:
        """The account when the password is right; the attempt is reserved before the check."""
        now = utc_now()
        counted = await self._reserve(username, now)
        account = await self._accounts.find_by_username(username=username)
        stored_hash = account.password_hash if account else None
        valid = await anyio.to_thread.run_sync(verify_password, stored_hash, password)
        if account is None or not valid:
            return None
        if counted:
            # Log-in must work on a full disk: not forgetting the attempts is harmless.
            with suppress(StorageFull):
                await self._throttle.clear_failures(username=username)
        return account

    async def _reserve(self, username: str, now: datetime) -> bool:
        """Whether the attempt was counted; `TooManyAttempts` when the window is full."""
        try:
            reservation = await self._throttle.reserve_attempt(
                username=username,
                at=now,
                window=self._policy.window,
                limit=self._policy.max_failures,
            )
        except StorageFull:
            logger.warning("storage full: a log-in attempt for %r was not counted", username)
            return False
        if not reservation.granted:
            raise TooManyAttempts(_seconds_until(reservation.reopens_at, now))
        return True


def _seconds_until(moment: datetime | None, now: datetime) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((moment - now).total_seconds()))
