"""Revoked tokens in `<data-dir>/tokens.sqlite3`, shared by every process on the data directory."""

from datetime import datetime
from pathlib import Path

import anyio.to_thread

from cora.auth.revocation import RevocationState, TokenRevocations
from cora.store.json_files.small_db import SmallDatabase
from cora.timeutil import format_timestamp, utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS generations (user_id TEXT PRIMARY KEY, generation INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS revoked (
    token_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revoked_by_user ON revoked (user_id);
CREATE INDEX IF NOT EXISTS revoked_by_expiry ON revoked (expires_at);
"""


class SqliteTokenRevocations(TokenRevocations):
    def __init__(self, data_dir: Path) -> None:
        self._db = SmallDatabase(data_dir / "tokens.sqlite3", SCHEMA)

    async def open(self) -> None:
        await anyio.to_thread.run_sync(self._db.create)

    async def state(self, *, user_id: str) -> RevocationState:
        return await anyio.to_thread.run_sync(self._state, user_id)

    def _state(self, user_id: str) -> RevocationState:
        with self._db.connection() as db:
            row = db.execute(
                "SELECT generation FROM generations WHERE user_id = ?", (user_id,)
            ).fetchone()
            revoked = db.execute(
                "SELECT token_id FROM revoked WHERE user_id = ? AND expires_at > ?",
                (user_id, format_timestamp(utc_now())),
            ).fetchall()
        return RevocationState(row[0] if row else 0, frozenset(token for (token,) in revoked))

    async def revoke_token(self, *, user_id: str, token_id: str, expires_at: datetime) -> None:
        await anyio.to_thread.run_sync(self._revoke_token, user_id, token_id, expires_at)

    def _revoke_token(self, user_id: str, token_id: str, expires_at: datetime) -> None:
        with self._db.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO revoked VALUES (?, ?, ?)",
                (token_id, user_id, format_timestamp(expires_at)),
            )
            db.execute("DELETE FROM revoked WHERE expires_at <= ?", (format_timestamp(utc_now()),))

    async def revoke_all(self, *, user_id: str) -> int:
        return await anyio.to_thread.run_sync(self._revoke_all, user_id)

    def _revoke_all(self, user_id: str) -> int:
        with self._db.transaction() as db:
            row = db.execute(
                "INSERT INTO generations VALUES (?, 1) ON CONFLICT (user_id)"
                " DO UPDATE SET generation = generation + 1 RETURNING generation",
                (user_id,),
            ).fetchone()
        return int(row[0])

    async def forget_user(self, *, user_id: str) -> None:
        await anyio.to_thread.run_sync(self._forget_user, user_id)

    def _forget_user(self, user_id: str) -> None:
        with self._db.transaction() as db:
            db.execute("DELETE FROM generations WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM revoked WHERE user_id = ?", (user_id,))
