"""Copying existing accounts and sessions in (from a JSON data directory): each at most once."""

from collections.abc import Sequence
from dataclasses import dataclass

from cora.domain import SessionRecord
from cora.store.accounts import Account
from cora.store.postgres.database import PostgresDatabase
from cora.store.postgres.queries import INSERT_MESSAGE, INSERT_SESSION
from cora.store.postgres.rows import messages_params, session_params

INSERT_SESSION_IF_NEW = INSERT_SESSION + " ON CONFLICT (session_id) DO NOTHING RETURNING 1"
INSERT_ACCOUNT_IF_NEW = """
INSERT INTO users (user_id, username, username_lower, password_hash, created_at)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT DO NOTHING
RETURNING 1
"""


@dataclass(frozen=True, slots=True)
class Copied:
    """How many records were new (and copied), and how many were there already."""

    copied: int = 0
    present: int = 0
    messages: int = 0

    def __add__(self, other: "Copied") -> "Copied":
        return Copied(
            self.copied + other.copied,
            self.present + other.present,
            self.messages + other.messages,
        )


class PostgresCopier:
    def __init__(self, database: PostgresDatabase) -> None:
        self._db = database

    async def copy_accounts(self, accounts: Sequence[Account]) -> Copied:
        """Insert the accounts whose user id and name are both free; the others are left."""
        copied = 0
        async with self._db.transaction() as conn:
            for account in accounts:
                cursor = await conn.execute(
                    INSERT_ACCOUNT_IF_NEW,
                    (
                        account.user_id,
                        account.username,
                        account.username.lower(),
                        account.password_hash,
                        account.created_at,
                    ),
                )
                copied += await cursor.fetchone() is not None
        return Copied(copied=copied, present=len(accounts) - copied)

    async def copy_sessions(self, sessions: Sequence[SessionRecord]) -> Copied:
        """Insert the sessions not yet stored (by id), with their messages, in one transaction."""
        total = Copied()
        async with self._db.transaction() as conn:
            for record in sessions:
                cursor = await conn.execute(INSERT_SESSION_IF_NEW, session_params(record))
                if await cursor.fetchone() is None:
                    total += Copied(present=1)
                    continue
                if record.messages:
                    async with conn.cursor() as messages:
                        await messages.executemany(
                            INSERT_MESSAGE, messages_params(record.session_id, record.messages)
                        )
                total += Copied(copied=1, messages=len(record.messages))
        return total

    async def count_sessions(self, session_ids: Sequence[str]) -> int:
        """How many of these sessions the database holds."""
        async with self._db.connection() as conn:
            cursor = await conn.execute(
                "SELECT count(*) AS n FROM sessions WHERE session_id = ANY(%s::uuid[])",
                (list(session_ids),),
            )
            row = await cursor.fetchone()
        return int(row["n"]) if row else 0

    async def count_accounts(self, user_ids: Sequence[str]) -> int:
        async with self._db.connection() as conn:
            cursor = await conn.execute(
                "SELECT count(*) AS n FROM users WHERE user_id = ANY(%s)", (list(user_ids),)
            )
            row = await cursor.fetchone()
        return int(row["n"]) if row else 0
