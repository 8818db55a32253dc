"""Storage interfaces for accounts and failed log-ins; every back end implements both."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime


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


class LoginThrottle(ABC):
    """Failed log-ins per username within a sliding window, shared by every worker."""

    async def open(self) -> None:
        """Prepare the storage; called once at start."""

    async def close(self) -> None:
        """Release connections and files."""

    @abstractmethod
    async def recent_failures(self, *, username: str, since: datetime) -> list[datetime]:
        """Times of failed log-ins for the username (any case) since `since`, oldest first."""

    @abstractmethod
    async def record_failure(self, *, username: str, at: datetime) -> None: ...

    @abstractmethod
    async def clear_failures(self, *, username: str) -> None: ...
