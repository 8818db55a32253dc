"""`cora reindex` with no server running: the index rebuilt from the files as a fresh database.

Files are read on threads with small reads: one `pread` of a file's first page, which holds the
whole of a small session file; a larger file gets its header line (read further only when it is
longer) and its last bytes (the trailer). The rows go into a new SQLite file in one bulk
transaction (no journal, no sync until the end, the listing index built once after the rows),
which then replaces the old index by a rename. A file that does not read this simple way
(torn, edited by hand, damaged) is left to the store's careful path, under its lock, with what
the old index knew of its last acknowledged write.
"""

import os
import sqlite3
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from cora.store.json_files.document import (
    TAIL_READ_BYTES,
    DocumentError,
    decode_header_line,
    find_tail,
    summarize,
)
from cora.store.json_files.index import INSERT_ROW, SCHEMA, FileState, row_of

HEAD_BYTES = 4096
HEADER_LIMIT = 1 << 20  # a header line longer than this is left to the careful path
TRAILER_BYTES = 1024
READERS = 8
BATCH = 1024
INDEX_SUFFIXES = ("", "-wal", "-shm", "-journal")
LISTING_INDEX = "sessions_by_user"

Row = tuple[object, ...]


def read_row(directory_fd: int, name: str) -> Row | None:
    """The index row of one session file, or None when it does not read the simple way."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_CLOEXEC, dir_fd=directory_fd)
    except FileNotFoundError:
        return None
    try:
        stat = os.fstat(fd)
        size = stat.st_size
        head = os.pread(fd, HEAD_BYTES, 0)
        end = head.find(b"\n")
        while end == -1 and len(head) < min(size, HEADER_LIMIT):
            more = os.pread(fd, len(head), len(head))
            if not more:
                break
            head += more
            end = head.find(b"\n")
        if end == -1:
            return None
        if size <= len(head):
            tail, tail_offset = head, 0
        else:
            # From the header's newline at the latest: a trailer right after it starts "\n],".
            tail_offset = max(end, size - TRAILER_BYTES)
            tail = os.pread(fd, size - tail_offset, tail_offset)
            if b"\n]," not in tail and tail_offset > end:
                tail_offset = max(end, size - TAIL_READ_BYTES)
                tail = os.pread(fd, size - tail_offset, tail_offset)
        header = decode_header_line(head[:end])
        trailer = find_tail(tail, tail_offset).trailer
        return row_of(summarize(header, trailer), FileState(size, stat.st_mtime_ns))
    except (DocumentError, OSError):
        return None
    finally:
        os.close(fd)


def read_rows(directory_fd: int, names: list[str]) -> tuple[list[Row], list[str]]:
    """The rows of `names`, and the names that must go the careful way."""
    rows: list[Row] = []
    others: list[str] = []
    for name in names:
        row = read_row(directory_fd, name)
        if row is None:
            others.append(name)
        else:
            rows.append(row)
    return rows, others


def read_all_rows(
    directory_fd: int, batches: Iterable[list[str]]
) -> Iterator[tuple[list[Row], list[str]]]:
    """`read_rows` of each batch on `READERS` threads, in order, with a bounded backlog."""
    with ThreadPoolExecutor(READERS, thread_name_prefix="cora-reindex") as readers:
        pending: list[Future[tuple[list[Row], list[str]]]] = []
        for batch in batches:
            pending.append(readers.submit(read_rows, directory_fd, batch))
            if len(pending) >= 2 * READERS:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


class FreshIndex:
    """A new index file, written in bulk and then renamed over the old one."""

    def __init__(self, path: Path, new_path: Path) -> None:
        self._path = path
        self._new_path = new_path
        for suffix in INDEX_SUFFIXES:
            Path(f"{new_path}{suffix}").unlink(missing_ok=True)
        self._db = sqlite3.connect(new_path, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "main.locking_mode=EXCLUSIVE",
            "cache_size=-8192",  # 8 MiB: the peak RSS of `cora reindex` stays flat
            "temp_store=FILE",
        ):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(SCHEMA)
        self._db.execute(f"DROP INDEX {LISTING_INDEX}")
        self._db.execute("BEGIN")  # one transaction for the rows read the quick way

    def insert(self, rows: list[Row]) -> None:
        self._db.executemany(INSERT_ROW, rows)

    def delete(self, session_ids: Iterable[str]) -> None:
        self._db.executemany(
            "DELETE FROM sessions WHERE session_id = ?", [(s,) for s in session_ids]
        )

    def changed_since(self, old_path: Path) -> list[tuple[str, str]]:
        """(user_id, session_id) of each row whose file differs from what the old index
        recorded after the session's last acknowledged write: such a file must read whole."""
        if not old_path.exists():
            return []
        self._db.execute("COMMIT")  # attaching needs no transaction open
        self._db.execute("ATTACH DATABASE ? AS old", (str(old_path),))
        try:
            rows = self._db.execute(
                "SELECT n.user_id, n.session_id FROM sessions AS n"
                " JOIN old.sessions AS o ON o.session_id = n.session_id"
                " WHERE o.file_size != n.file_size OR o.file_mtime_ns != n.file_mtime_ns"
            ).fetchall()
        finally:
            self._db.execute("DETACH DATABASE old")
            self._db.execute("BEGIN")
        return [(str(user_id), str(session_id)) for user_id, session_id in rows]

    def finish(self, state: str) -> None:
        """Build the listing index, record `state`, make the file durable and put it in place.

        The old index goes first, its write-ahead log and shared memory after it: a crash in
        between leaves no index (rebuilt at the next start), never a new file beside an old log.
        """
        db = self._db
        db.execute("COMMIT")
        db.executescript(SCHEMA)  # the listing index, built once over every row
        db.execute("INSERT OR REPLACE INTO store_state VALUES ('index', ?)", (state,))
        db.execute("PRAGMA journal_mode=WAL")
        db.close()
        fd = os.open(self._new_path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        for suffix in INDEX_SUFFIXES:
            Path(f"{self._path}{suffix}").unlink(missing_ok=True)
        for suffix in INDEX_SUFFIXES[1:]:
            Path(f"{self._new_path}{suffix}").unlink(missing_ok=True)
        os.replace(self._new_path, self._path)
        directory = os.open(self._path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def abandon(self) -> None:
        self._db.close()
        for suffix in INDEX_SUFFIXES:
            Path(f"{self._new_path}{suffix}").unlink(missing_ok=True)
