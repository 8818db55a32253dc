"""A PostgreSQL schema of a bench's own, dropped afterwards: the database is left as found."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql


@contextmanager
def scratch_schema(database_url: str, prefix: str = "bench") -> Iterator[str]:
    """A fresh schema name (Cora's server creates the schema); the schema is dropped on exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        yield schema
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
