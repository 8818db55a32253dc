"""Revoked tokens in PostgreSQL, shared by every server on the database."""

from datetime import datetime

from cora.auth.revocation import RevocationState, TokenRevocations
from cora.metrics import measure_store
from cora.store.postgres.database import PostgresDatabase

SELECT_GENERATION = "SELECT generation FROM token_generations WHERE user_id = %s"
SELECT_REVOKED = "SELECT token_id FROM revoked_tokens WHERE user_id = %s AND expires_at > now()"
INSERT_REVOKED = (
    "INSERT INTO revoked_tokens (token_id, user_id, expires_at) VALUES (%s, %s, %s)"
    " ON CONFLICT (token_id) DO NOTHING"
)
RAISE_GENERATION = (
    "INSERT INTO token_generations (user_id, generation) VALUES (%s, 1)"
    " ON CONFLICT (user_id) DO UPDATE SET generation = token_generations.generation + 1"
    " RETURNING generation"
)


class PostgresTokenRevocations(TokenRevocations):
    def __init__(self, database: PostgresDatabase) -> None:
        self._db = database

    async def open(self) -> None:
        await self._db.open()

    async def close(self) -> None:
        await self._db.close()

    async def state(self, *, user_id: str) -> RevocationState:
        with measure_store("postgres", "revocation_state"):
            async with self._db.connection() as conn:
                row = await (await conn.execute(SELECT_GENERATION, (user_id,))).fetchone()
                revoked = await (await conn.execute(SELECT_REVOKED, (user_id,))).fetchall()
        generation = int(row["generation"]) if row else 0
        return RevocationState(generation, frozenset(r["token_id"] for r in revoked))

    async def revoke_token(self, *, user_id: str, token_id: str, expires_at: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(INSERT_REVOKED, (token_id, user_id, expires_at))
            await conn.execute("DELETE FROM revoked_tokens WHERE expires_at <= now()")

    async def revoke_all(self, *, user_id: str) -> int:
        async with self._db.connection() as conn:
            row = await (await conn.execute(RAISE_GENERATION, (user_id,))).fetchone()
        assert row is not None
        return int(row["generation"])

    async def forget_user(self, *, user_id: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM token_generations WHERE user_id = %s", (user_id,))
            await conn.execute("DELETE FROM revoked_tokens WHERE user_id = %s", (user_id,))
