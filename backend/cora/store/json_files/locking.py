"""Opening a session file under an OS lock that holds across threads and processes.

Whole-file rewrites replace a file by rename, so a writer that waited for the lock of the old
file must notice it now holds a lock on a file no longer in the directory, and try again. A
reader need not: the replaced file it holds is a complete, consistent earlier version.
"""

import ctypes
import ctypes.util
import fcntl
import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _open_locked(
    path: Path | str, *, exclusive: bool, wait: bool = True
) -> tuple[int, os.stat_result | None]:
    """The locked descriptor and, for an exclusive lock, the file's status read under it."""
    flags = (os.O_RDWR if exclusive else os.O_RDONLY) | os.O_CLOEXEC
    operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    while True:
        fd = os.open(path, flags)
        try:
            fcntl.flock(fd, operation)
            if not exclusive:
                return fd, None
            status = os.fstat(fd)
            if status.st_ino == os.stat(path).st_ino:
                return fd, status
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if not wait:
            raise BlockingIOError(f"{path} was replaced")


def read_locked_now(path: Path | str) -> int:
    """A descriptor of the file now at `path` under a shared lock, if that needs no wait:
    `BlockingIOError` when a writer holds the lock."""
    return _open_locked(path, exclusive=False, wait=False)[0]


def write_locked_now(path: Path | str) -> tuple[int, os.stat_result]:
    """A descriptor of the file now at `path` under an exclusive lock, if that needs no wait,
    and the file's status read under it: `BlockingIOError` when another holds the lock or the
    file was just replaced."""
    fd, status = _open_locked(path, exclusive=True, wait=False)
    assert status is not None  # an exclusive lock reads it
    return fd, status


@contextmanager
def locked_file(path: Path | str, *, exclusive: bool) -> Iterator[int]:
    """Yield a locked descriptor of the file now at `path`; `FileNotFoundError` if none."""
    fd, _ = _open_locked(path, exclusive=exclusive)
    try:
        yield fd
    finally:
        os.close(fd)


def read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    return read_at(fd, size, 0)


def read_at(fd: int, length: int, offset: int) -> bytes:
    chunks: list[bytes] = []
    while length > 0:
        chunk = os.pread(fd, length, offset)
        if not chunk:
            break
        chunks.append(chunk)
        length -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view = view[written:]
        offset += written


# Up to this many new files are synced one by one; more, with one `syncfs` of their file system.
SYNC_EACH_UP_TO = 16


def sync_files(directory: Path, paths: list[Path]) -> None:
    """Make `paths` (files in `directory`) durable without flushing other file systems."""
    if len(paths) > SYNC_EACH_UP_TO and _syncfs(directory):
        return
    for path in paths:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sync_descriptors(directory: Path, fds: list[int]) -> list[OSError | None]:
    """Make the files open as `fds` (in `directory`) durable, as `sync_files` does; for each,
    None or the error that left it not known to be durable."""
    if len(fds) > SYNC_EACH_UP_TO:
        try:
            if _syncfs(directory):
                return [None] * len(fds)
        except OSError as error:
            return [error] * len(fds)
    errors: list[OSError | None] = []
    for fd in fds:
        try:
            os.fdatasync(fd)
            errors.append(None)
        except OSError as error:
            errors.append(error)
    return errors


def _syncfs(directory: Path) -> bool:
    """`syncfs(2)` on the file system of `directory`; False where the C library lacks it."""
    function = getattr(_libc(), "syncfs", None)
    if function is None:
        return False
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        if function(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(directory))
    finally:
        os.close(fd)
    return True


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new_file(directory: Path, name: str, data: bytes) -> None:
    """Write `directory/name` whole or not at all: a temporary file, fsync, then rename."""
    os.replace(write_temporary(directory, name, data, sync=True), directory / name)


def write_temporary(directory: Path, name: str, data: bytes, *, sync: bool) -> Path:
    """A temporary file beside `directory/name`, to be renamed over it once complete."""
    temporary = directory / f".tmp-{os.getpid()}-{threading.get_ident()}-{name}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        write_at(fd, data, 0)
        if sync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        temporary.unlink(missing_ok=True)
        raise
    os.close(fd)
    return temporary
