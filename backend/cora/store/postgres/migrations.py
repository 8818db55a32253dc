"""The schema, created and upgraded at start by the SQL files in `migrations/`, each once.

`NNNN_name.sql` files are applied in order of their number, all pending ones in one
transaction, and recorded in `schema_migrations`. A transaction-level advisory lock serialises
every Cora process starting on the database at once: the first applies, the others then find
nothing left to do.
"""

from dataclasses import dataclass
from importlib import resources
from typing import Any

from psycopg import AsyncConnection, sql
from psycopg.rows import scalar_row

# One key for the whole database: migrations of different schemas also share the extension.
MIGRATION_LOCK_KEY = 0x436F7261  # "Cora"

CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    script: str


def bundled_migrations() -> list[Migration]:
    directory = resources.files("cora.store.postgres") / "migrations"
    found = []
    for entry in directory.iterdir():
        stem, dot, suffix = entry.name.partition(".")
        number, _, name = stem.partition("_")
        if dot and suffix == "sql" and number.isdigit():
            found.append(Migration(int(number), name, entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda migration: migration.version)


async def apply_migrations(
    conn: AsyncConnection[Any],
    *,
    schema: str | None,
    migrations: list[Migration] | None = None,
) -> list[int]:
    """Apply the pending migrations; the versions applied (none when already up to date)."""
    pending: list[int] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        if schema is not None:
            await conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
            )
        await conn.execute(CREATE_LEDGER)
        async with conn.cursor(row_factory=scalar_row) as cursor:
            await cursor.execute("SELECT version FROM schema_migrations")
            applied = set(await cursor.fetchall())
        for migration in migrations if migrations is not None else bundled_migrations():
            if migration.version in applied:
                continue
            await conn.execute(migration.script.encode())
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
            pending.append(migration.version)
    return pending
