"""A small SQLite file beside the session files (failed log-ins, revoked tokens), shared by every
process on the data directory; its errors become Cora's storage errors here."""

import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from cora.errors import StorageFull, StorageUnavailable

logger = logging.getLogger(__name__)
FULL_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


@contextmanager
def storage_errors(path: Path | None = None) -> Iterator[None]:
    """OS and SQLite failures as `StorageFull` (the disk is full) or `StorageUnavailable`.

    SQLite reports a full disk as SQLITE_FULL, or, when its shared memory or WAL cannot grow,
    as an I/O error: with `path`, an I/O error on a file system with no space left is full."""
    try:
        yield
    except OSError as error:
        if error.errno in FULL_DISK_ERRNOS:
            raise StorageFull() from error
        raise StorageUnavailable() from error
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or _no_space(path):
            logger.error("storage full: %s (%s)", path, error)
            raise StorageFull() from error
        logger.error("storage error: %s (%s)", path, error)
        raise StorageUnavailable() from error


def _no_space(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


class SmallDatabase:
    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._schema = schema

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as db:
            db.executescript(self._schema)
            # A rollback journal, not WAL: in WAL mode the first reader after the last
            # connection closed must create the shared-memory file again, which fails on a
            # full disk, and log-in must keep working there (contract 6).
            db.execute("PRAGMA journal_mode=DELETE")

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode."""
        with storage_errors(self.path), closing(self._connect()) as db:
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
