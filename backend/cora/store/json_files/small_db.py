"""A small SQLite file beside the session files (failed log-ins, revoked tokens), shared by every
process on the data directory; its errors become Cora's storage errors here."""

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from cora.errors import StorageFull, StorageUnavailable

FULL_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


@contextmanager
def storage_errors() -> Iterator[None]:
    """OS and SQLite failures as `StorageFull` (the disk is full) or `StorageUnavailable`."""
    try:
        yield
    except OSError as error:
        if error.errno in FULL_DISK_ERRNOS:
            raise StorageFull() from error
        raise StorageUnavailable() from error
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            raise StorageFull() from error
        raise StorageUnavailable() from error


class SmallDatabase:
    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._schema = schema

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as db:
            db.executescript(self._schema)
            db.execute("PRAGMA journal_mode=WAL")

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode."""
        with storage_errors(), closing(self._connect()) as db:
            yield db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, its lock taken first (`BEGIN IMMEDIATE`): serial across
        processes, committed on leaving, rolled back on an error."""
        with self.connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.rollback()
                raise
            db.commit()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)
