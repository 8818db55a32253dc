"""PostgreSQL storage: many Cora servers, one database."""

from cora.store.postgres.accounts import PostgresAccountStore, PostgresLoginThrottle
from cora.store.postgres.database import PostgresDatabase
from cora.store.postgres.sessions import PostgresSessionStore

__all__ = [
    "PostgresAccountStore",
    "PostgresDatabase",
    "PostgresLoginThrottle",
    "PostgresSessionStore",
]
