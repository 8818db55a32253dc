"""PostgreSQL and pool failures become Cora's storage errors here, and nowhere else."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors

from cora.errors import StorageFull, StorageUnavailable

logger = logging.getLogger(__name__)


def storage_error(error: psycopg.Error) -> StorageFull | StorageUnavailable:
    """The Cora error a driver error means: a full disk, or storage that does not answer.

    Connection failures, pool timeouts, shutdowns, resource limits, a read-only server after a
    fail-over: all transient, all 503. Anything else is unexpected and logged with its trace,
    and still answered 503 so that no driver detail reaches a client.
    """
    if isinstance(error, pg_errors.DiskFull):
        logger.error("database storage full: %s", error)
        return StorageFull()
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        logger.warning("database unavailable: %s", error)
    else:
        logger.error("unexpected database error", exc_info=error)
    return StorageUnavailable()


@contextmanager
def storage_errors() -> Iterator[None]:
    try:
        yield
    except psycopg.Error as error:
        raise storage_error(error) from error
