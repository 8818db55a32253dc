"""Revoked tokens, shared by every worker and server on the same storage (contract 4).

Each local-mode token carries an id (`jti`) and the user's token generation (`gen`) at the
time it was issued. Logging out revokes one id; a password change raises the generation,
which ends every token issued before it; erasing an account removes the account, so its
tokens name no one. `TokenGate` checks all three on each request through a cache that
lives at most `CACHE_SECONDS`, so a revocation made by another process holds within that
time, and one made by this process holds at once.
"""

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cora.auth.tokens import Principal
from cora.errors import NotAuthenticated

if TYPE_CHECKING:
    from cora.store.accounts import AccountStore

CACHE_SECONDS = 1.0
CACHE_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class RevocationState:
    """A user's current token generation and the ids of their revoked, unexpired tokens."""

    generation: int
    revoked: frozenset[str]


class TokenRevocations(ABC):
    """Where revocations are kept; one implementation per back end."""

    async def open(self) -> None:
        """Prepare the storage; called once at start."""

    async def close(self) -> None:
        """Release connections and files."""

    @abstractmethod
    async def state(self, *, user_id: str) -> RevocationState:
        """The user's generation (0 when none was raised) and revoked token ids that have not
        expired; `StorageUnavailable` when storage does not answer."""

    @abstractmethod
    async def revoke_token(self, *, user_id: str, token_id: str, expires_at: datetime) -> None:
        """Revoke one token until it expires (then its record may be dropped);
        `StorageFull` / `StorageUnavailable` when it could not be recorded."""

    @abstractmethod
    async def revoke_all(self, *, user_id: str) -> int:
        """Raise the user's generation, ending every token issued before; returns the new
        generation. `StorageFull` / `StorageUnavailable` when it could not be recorded."""

    @abstractmethod
    async def forget_user(self, *, user_id: str) -> None:
        """Remove everything kept for the user (their account is being erased)."""


class TokenGate:
    """The per-process check of a verified token against revocations and accounts."""

    def __init__(self, *, cache_seconds: float = CACHE_SECONDS) -> None:
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, RevocationState | None]] = {}

    async def check(
        self, principal: Principal, revocations: TokenRevocations, accounts: "AccountStore"
    ) -> None:
        """`NotAuthenticated` unless the token's account exists and the token is not revoked."""
        if principal.token_id is None:
            raise NotAuthenticated("The token has no id; log in again")
        state = await self._state(principal.user_id, revocations, accounts)
        if state is None:
            raise NotAuthenticated("The token's account no longer exists")
        if principal.generation != state.generation or principal.token_id in state.revoked:
            raise NotAuthenticated("The token has been revoked")

    def forget(self, user_id: str) -> None:
        """Drop the cached state after this process changed it."""
        self._cache.pop(user_id, None)

    async def _state(
        self, user_id: str, revocations: TokenRevocations, accounts: "AccountStore"
    ) -> RevocationState | None:
        now = time.monotonic()
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        state: RevocationState | None = None
        if await accounts.find_by_id(user_id=user_id) is not None:
            state = await revocations.state(user_id=user_id)
        if len(self._cache) >= CACHE_ENTRIES:
            self._cache.clear()
        self._cache[user_id] = (now + self._cache_seconds, state)
        return state
