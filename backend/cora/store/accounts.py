"""Storage interfaces for accounts and failed log-ins; every back end implements both."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Account:
    user_id: str
    username: str
    password_hash: str
    created_at: datetime


class AccountStore(ABC):
    async def open(self) -> None:
        """Prepare the storage; called once at start."""

    async def close(self) -> None:
        """Release connections and files."""

    @abstractmethod
    async def create_account(self, *, account: Account) -> None:
        """Store a new account; `UsernameTaken` if the name is used in any letter case."""

    @abstractmethod
    async def find_by_username(self, *, username: str) -> Account | None: ...

    @abstractmethod
    async def find_by_id(self, *, user_id: str) -> Account | None: ...

    @abstractmethod
    async def set_password_hash(self, *, user_id: str, password_hash: str) -> None:
        """Replace the account's password hash in one durable write; `NotAuthenticated` if the
        account is gone, `StorageFull` / `StorageUnavailable` when nothing was written."""

    @abstractmethod
    async def begin_deletion(self, *, user_id: str) -> None:
        """Record the intent to erase the account, then remove the account itself (its name
        becomes free, lookups find nothing). What the intent names is finished by
        `finish_deletion`, also after a crash (`pending_deletions`). `StorageFull` /
        `StorageUnavailable` when not even the intent could be recorded."""

    @abstractmethod
    async def finish_deletion(self, *, user_id: str) -> None:
        """Remove what is left of the account and its intent record (idempotent)."""

    @abstractmethod
    async def pending_deletions(self) -> list[str]:
        """The user ids whose erasure was begun and not finished."""


@dataclass(frozen=True, slots=True)
class Reservation:
    """The answer to `reserve_attempt`: the attempt may go ahead, or the window is full until
    `reopens_at`."""

    granted: bool
    reopens_at: datetime | None = None


class LoginThrottle(ABC):
    """Attempts per key (a username for log-ins, `address:<ip>` for registrations) within a
    sliding window, shared by every worker and server on the same storage."""

    async def open(self) -> None:
        """Prepare the storage; called once at start."""

    async def close(self) -> None:
        """Release connections and files."""

    @abstractmethod
    async def reserve_attempt(
        self, *, username: str, at: datetime, window: timedelta, limit: int
    ) -> Reservation:
        """Count an attempt for the key (any case) before it is checked, atomically across
        processes: granted (and recorded at `at`) while fewer than `limit` are recorded within
        `window` before `at`; else not granted, with when the oldest of them leaves the window.
        `StorageFull` / `StorageUnavailable` when nothing could be recorded."""

    @abstractmethod
    async def clear_failures(self, *, username: str) -> None:
        """Forget the key's recorded attempts (a successful log-in)."""
