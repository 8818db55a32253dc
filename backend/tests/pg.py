"""PostgreSQL for tests: a fresh schema per test on a local server, or a skip saying why.

The server is `CORA_TEST_DATABASE_URL` (default: trust auth as postgres at 127.0.0.1:5432,
database `test`). Without one, PostgreSQL tests are skipped; with `CI` set they fail instead.
"""

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from cora.config import Settings

DATABASE_URL = os.environ.get("CORA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def unavailable_reason() -> str | None:
    try:
        with psycopg.connect(DATABASE_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return f"no PostgreSQL at {DATABASE_URL}: {' '.join(str(error).split())}"
    return None


def require_postgres() -> None:
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure)")
    pytest.skip(reason)


def admin_execute(statement: sql.Composable | str, params: tuple[object, ...] = ()) -> list:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        cursor = conn.execute(statement, params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A schema name no other run uses; the schema (made by Cora's migrations) is dropped after."""
    require_postgres()
    name = f"cora_test_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        drop_schema(name)


def drop_schema(name: str) -> None:
    admin_execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def postgres_settings(schema: str, data_dir: Path, **options: object) -> Settings:
    return Settings(
        storage="postgres",
        database_url=DATABASE_URL,
        database_schema=schema,
        data_dir=data_dir,
        **options,  # type: ignore[arg-type]
    )


def server_env(schema: str, database_url: str = DATABASE_URL) -> dict[str, str]:
    """Environment for `cora serve` on PostgreSQL in the given schema."""
    return {
        "CORA_STORAGE": "postgres",
        "CORA_DATABASE_URL": database_url,
        "CORA_DATABASE_SCHEMA": schema,
    }
