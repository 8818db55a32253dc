"""Per-user storage quotas (`CORA_MAX_SESSIONS_PER_USER`, `CORA_MAX_BYTES_PER_USER`; off by
default): a write that would take a user past one is refused with `QuotaExceeded` (507)."""

from dataclasses import dataclass

from cora.config import Settings
from cora.errors import QuotaExceeded
from cora.store.base import SessionStore


@dataclass(frozen=True, slots=True)
class Quota:
    max_sessions: int | None = None
    max_bytes: int | None = None

    @property
    def is_set(self) -> bool:
        """Whether either limit is set (neither is by default)."""
        return self.max_sessions is not None or self.max_bytes is not None

    async def check(
        self, store: SessionStore, user_id: str, *, new_sessions: int, new_bytes: int
    ) -> None:
        """Raise `QuotaExceeded` if adding `new_sessions` sessions of `new_bytes` bytes would
        take the user past a limit; one read of the store's per-user totals when a limit is set."""
        if not self.is_set:
            return
        usage = await store.storage_usage(user_id=user_id)
        if self.max_sessions is not None and usage.sessions + new_sessions > self.max_sessions:
            raise QuotaExceeded(
                f"Session quota reached: {usage.sessions} of {self.max_sessions} sessions stored"
                f"{f', {new_sessions} more asked' if new_sessions > 1 else ''}; "
                "delete sessions to make room"
            )
        if self.max_bytes is not None and usage.bytes + new_bytes > self.max_bytes:
            raise QuotaExceeded(
                f"Storage quota reached: {usage.bytes} of {self.max_bytes} bytes used, "
                f"this write needs about {new_bytes} more; delete sessions to make room"
            )


def quota_from(settings: Settings) -> Quota:
    return Quota(max_sessions=settings.max_sessions_per_user, max_bytes=settings.max_bytes_per_user)
