"""Accounts and failed log-ins in PostgreSQL; usernames unique by their lower-case form."""

import hashlib
from datetime import datetime, timedelta

from cora.domain import is_user_id, is_username
from cora.errors import NotAuthenticated, UsernameTaken
from cora.metrics import measure_store
from cora.store.accounts import Account, AccountStore, LoginThrottle, Reservation
from cora.store.postgres.database import PostgresDatabase
from cora.store.postgres.rows import Row
from cora.timeutil import UTC

INSERT_ACCOUNT = """
INSERT INTO users (user_id, username, username_lower, password_hash, created_at)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (username_lower) DO NOTHING
RETURNING user_id
"""
FIND_BY_NAME = (
    "SELECT user_id, username, password_hash, created_at FROM users WHERE username_lower = %s"
)
FIND_BY_ID = "SELECT user_id, username, password_hash, created_at FROM users WHERE user_id = %s"
FAILURES_KEPT = timedelta(days=1)


class PostgresAccountStore(AccountStore):
    def __init__(self, database: PostgresDatabase) -> None:
        self._db = database

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._db.close()

    async def create_account(self, *, account: Account) -> None:
        params = (
            account.user_id,
            account.username,
            account.username.lower(),
            account.password_hash,
            account.created_at,
        )
        # A concurrent insert of the same name waits for the other one, then conflicts.
        with measure_store("postgres", "create_account"):
            async with self._db.connection() as conn:
                cursor = await conn.execute(INSERT_ACCOUNT, params)
                created = await cursor.fetchone()
        if created is None:
            raise UsernameTaken()

    async def find_by_username(self, *, username: str) -> Account | None:
        if not is_username(username):
            return None
        return await self._find(FIND_BY_NAME, username.lower())

    async def find_by_id(self, *, user_id: str) -> Account | None:
        if not is_user_id(user_id):
            return None
        return await self._find(FIND_BY_ID, user_id)

    async def set_password_hash(self, *, user_id: str, password_hash: str) -> None:
        with measure_store("postgres", "set_password"):
            async with self._db.connection() as conn:
                cursor = await conn.execute(
                    "UPDATE users SET password_hash = %s WHERE user_id = %s",
                    (password_hash, user_id),
                )
        if cursor.rowcount == 0:
            raise NotAuthenticated("The account no longer exists")

    async def begin_deletion(self, *, user_id: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO account_deletions (user_id) VALUES (%s) ON CONFLICT DO NOTHING",
                (user_id,),
            )
            await conn.execute("DELETE FROM users WHERE user_id = %s", (user_id,))

    async def finish_deletion(self, *, user_id: str) -> None:
        async with self._db.connection() as conn:
            await conn.execute("DELETE FROM account_deletions WHERE user_id = %s", (user_id,))

    async def pending_deletions(self) -> list[str]:
        async with self._db.connection() as conn:
            cursor = await conn.execute("SELECT user_id FROM account_deletions ORDER BY user_id")
            return [row["user_id"] for row in await cursor.fetchall()]

    async def _find(self, query: str, value: str) -> Account | None:
        with measure_store("postgres", "find_account"):
            async with self._db.connection() as conn:
                cursor = await conn.execute(query, (value,))
                row = await cursor.fetchone()
        return _account(row) if row else None


class PostgresLoginThrottle(LoginThrottle):
    def __init__(self, database: PostgresDatabase) -> None:
        self._db = database

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._db.close()

    async def reserve_attempt(
        self, *, username: str, at: datetime, window: timedelta, limit: int
    ) -> Reservation:
        key = _throttle_key(username)
        async with self._db.transaction() as conn:
            # One attempt at a time per key, on every server: the count and the insert agree.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))
            cursor = await conn.execute(
                "SELECT at FROM login_failures WHERE username_lower = %s AND at > %s"
                " ORDER BY at DESC LIMIT %s",
                (key, at - window, limit),
            )
            rows = await cursor.fetchall()
            if len(rows) >= limit:
                return Reservation(False, rows[-1]["at"].astimezone(UTC) + window)
            await conn.execute(
                "INSERT INTO login_failures (username_lower, at) VALUES (%s, %s)", (key, at)
            )
            await conn.execute("DELETE FROM login_failures WHERE at < %s", (at - FAILURES_KEPT,))
        return Reservation(True)

    async def clear_failures(self, *, username: str) -> None:
        async with self._db.connection() as conn:
            await conn.execute(
                "DELETE FROM login_failures WHERE username_lower = %s", (_throttle_key(username),)
            )


def _account(row: Row) -> Account:
    return Account(
        user_id=row["user_id"],
        username=row["username"],
        password_hash=row["password_hash"],
        created_at=row["created_at"].astimezone(UTC),
    )


def _throttle_key(username: str) -> str:
    """The lower-case name; a name no account can have (it may hold NUL) by its digest instead."""
    if is_username(username):
        return username.lower()
    digest = hashlib.sha256(username.lower().encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"
