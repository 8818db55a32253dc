"""Rewriting the end of a session file in place, safe against a kill at any moment.

An append never rewrites bytes before the trailer, but a streaming reply grows: its line (always
the last one, since a session has one reply at a time) is rewritten together with the trailer.
First the new bytes, and where they go, are written to a redo file beside the session file
(`.redo-<name>`) and synced; then the session file is overwritten and synced; then the redo file
is removed. A kill while the session file is overwritten leaves it torn but the redo file whole:
the next repair finishes the rewrite from it. A kill while the redo file is written leaves the
session file untouched and a redo file that fails its checksum: it is ignored.

A redo file left behind (a kill after the session file was synced) is stale once the session
file reads whole: every other in-place write (an append, a repair) removes it first, and
whole-file rewrites change the inode, which a redo file must match to be applied.
"""

import functools
import hashlib
import os
from contextlib import suppress
from pathlib import Path

import orjson

from cora.store.json_files.locking import read_all, write_at

REDO_PREFIX = ".redo-"


@functools.lru_cache(maxsize=4096)  # every append removes the redo file its crash would leave
def redo_path(path: Path) -> Path:
    return path.with_name(REDO_PREFIX + path.name)


def rewrite_end(fd: int, path: Path, offset: int, data: bytes) -> None:
    """Replace everything from `offset` to the end of the file open as `fd` by `data`."""
    write_redo(fd, path, offset, data)
    write_at(fd, data, offset)
    os.ftruncate(fd, offset + len(data))
    os.fdatasync(fd)
    redo_path(path).unlink()


def write_redo(fd: int, path: Path, offset: int, data: bytes) -> None:
    """Record, durably, that `data` goes at `offset` of the file open as `fd`."""
    redo = redo_path(path)
    header = {
        "inode": os.fstat(fd).st_ino,
        "offset": offset,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    redo_fd = os.open(redo, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        write_at(redo_fd, orjson.dumps(header) + b"\n" + data, 0)
        os.fdatasync(redo_fd)
    finally:
        os.close(redo_fd)


def discard_redo(path: Path) -> None:
    """Remove a redo file left behind: call only while the session file reads whole."""
    with suppress(FileNotFoundError):
        os.unlink(redo_path(path))


def finish_rewrite(fd: int, path: Path) -> bool:
    """Finish a rewrite a kill interrupted, from a whole redo file of this very file; True if one
    was applied. The caller holds the exclusive lock and found the file torn."""
    redo = redo_path(path)
    try:
        with open(redo, "rb") as file:
            raw = read_all(file.fileno())
    except FileNotFoundError:
        return False
    head, newline, data = raw.partition(b"\n")
    try:
        header = orjson.loads(head)
        inode, offset, checksum = header["inode"], header["offset"], header["sha256"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        discard_redo(path)
        return False
    whole = newline and hashlib.sha256(data).hexdigest() == checksum
    if not whole or inode != os.fstat(fd).st_ino or offset > os.fstat(fd).st_size:
        discard_redo(path)
        return False
    write_at(fd, data, offset)
    os.ftruncate(fd, offset + len(data))
    os.fdatasync(fd)
    discard_redo(path)
    return True
