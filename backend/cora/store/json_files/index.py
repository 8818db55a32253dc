"""The listing index: a SQLite file beside the session files, derived from them.

It answers "a user's sessions, most recent first" without opening session files. Each row also
records the size and mtime of the file it was read from, so a stale row is detected and re-read.
Losing the index loses nothing: `reconcile` rebuilds it from the files.
"""

import fcntl
import os
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson

from cora.domain import SessionFilter, SessionSummaryRecord, TagCount
from cora.store.base import EVERY_SESSION, ListPosition
from cora.store.json_files.document import Trailer
from cora.timeutil import format_timestamp, parse_timestamp

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    message_count INTEGER NOT NULL,
    tags TEXT NOT NULL,
    metadata TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    file_mtime_ns INTEGER NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_by_user
    ON sessions (user_id, updated_at DESC, session_id DESC);
"""

# Columns added after the first release; an index made before gets them (its rows then say
# "not pinned, not archived", which is what the files of that time said).
ADDED_COLUMNS = {
    "pinned": "ALTER TABLE sessions ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",
    "archived": "ALTER TABLE sessions ADD COLUMN archived INTEGER NOT NULL DEFAULT 0",
}
INSERT_ROW = (
    "INSERT OR REPLACE INTO sessions (session_id, user_id, title, created_at, updated_at,"
    " message_count, tags, metadata, file_size, file_mtime_ns, pinned, archived)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# `?4`: the archived flag to show, or NULL for any; `?5`: 1 to show only pinned sessions.
SELECT_PAGE = (
    "SELECT session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,"
    " pinned, archived"
    " FROM sessions WHERE user_id = ?1 AND (updated_at, session_id) < (?2, ?3)"
    " AND (?4 IS NULL OR archived = ?4) AND (?5 = 0 OR pinned = 1)"
    " ORDER BY updated_at DESC, session_id DESC LIMIT ?6"
)
SELECT_TAG_COUNTS = (
    "SELECT tag.value, count(DISTINCT sessions.session_id) AS n"
    " FROM sessions, json_each(sessions.tags) AS tag WHERE sessions.user_id = ?"
    " GROUP BY tag.value ORDER BY n DESC, tag.value"
)
# Sorts after every stored position: timestamps start with a digit, "~" sorts after all of them.
FIRST_PAGE = ("~", "~")


@dataclass(frozen=True, slots=True)
class FileState:
    size: int
    mtime_ns: int


class SessionIndex:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._write_lock_path = path.with_name(path.name + ".lock")
        self._write_lock_fd: int | None = None
        self._thread_turns = threading.Lock()
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = []

    def create_schema(self) -> None:
        with self._writing() as db:
            db.executescript(SCHEMA)
            present = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
            for column, statement in ADDED_COLUMNS.items():
                if column not in present:
                    db.execute(statement)

    def close(self) -> None:
        for connection in self._all:
            connection.close()
        self._all.clear()
        if self._write_lock_fd is not None:
            os.close(self._write_lock_fd)
            self._write_lock_fd = None

    def clear(self) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM sessions")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A connection for one write transaction, writers of every process taking turns.

        SQLite's own busy handler sleeps and retries when another process writes; an OS lock
        hands the turn over at once, which keeps many workers' appends from stalling.
        """
        with self._thread_turns:
            if self._write_lock_fd is None:
                self._write_lock_fd = os.open(
                    self._write_lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
                )
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
            try:
                with self._connection() as db:
                    yield db
            finally:
                fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._connect()
        try:
            with connection:
                yield connection
        finally:
            self._idle.put(connection)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, timeout=30, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        self._all.append(connection)
        return connection

    def upsert(self, summaries: Iterable[tuple[SessionSummaryRecord, FileState]]) -> None:
        rows = [_row(summary, state) for summary, state in summaries]
        with self._writing() as db:
            db.executemany(INSERT_ROW, rows)

    def update_tail(self, session_id: str, trailer: Trailer, state: FileState) -> bool:
        """What an append changes; False when the session has no row yet."""
        with self._writing() as db:
            cursor = db.execute(
                "UPDATE sessions SET title = ?, updated_at = ?, message_count = ?,"
                " file_size = ?, file_mtime_ns = ? WHERE session_id = ?",
                (
                    trailer.title,
                    format_timestamp(trailer.updated_at),
                    trailer.message_count,
                    state.size,
                    state.mtime_ns,
                    session_id,
                ),
            )
            return cursor.rowcount > 0

    def delete(self, session_ids: Iterable[str]) -> None:
        with self._writing() as db:
            db.executemany(
                "DELETE FROM sessions WHERE session_id = ?", [(sid,) for sid in session_ids]
            )

    def list_page(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None,
        view: SessionFilter = EVERY_SESSION,
    ) -> list[SessionSummaryRecord]:
        position = (
            FIRST_PAGE if after is None else (format_timestamp(after.updated_at), after.session_id)
        )
        archived = None if view.archived is None else int(view.archived)
        with self._connection() as db:
            params = (user_id, *position, archived, int(view.pinned_only), limit)
            rows = db.execute(SELECT_PAGE, params)
            return [_summary(row) for row in rows]

    def tag_counts(self, user_id: str) -> list[TagCount]:
        with self._connection() as db:
            rows = db.execute(SELECT_TAG_COUNTS, (user_id,))
            return [TagCount(tag=str(tag), count=int(n)) for tag, n in rows]

    def not_updated_since(self, cutoff: datetime) -> list[tuple[str, str]]:
        """(user_id, session_id) of every session last updated before `cutoff`."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT user_id, session_id FROM sessions WHERE updated_at < ?",
                (format_timestamp(cutoff),),
            )
            return [(str(user_id), str(sid)) for user_id, sid in rows]

    def file_states(self) -> dict[str, FileState]:
        with self._connection() as db:
            rows = db.execute("SELECT session_id, file_size, file_mtime_ns FROM sessions")
            return {sid: FileState(size, mtime) for sid, size, mtime in rows}


def _row(summary: SessionSummaryRecord, state: FileState) -> tuple[object, ...]:
    return (
        summary.session_id,
        summary.user_id,
        summary.title,
        format_timestamp(summary.created_at),
        format_timestamp(summary.updated_at),
        summary.message_count,
        orjson.dumps(list(summary.tags)).decode(),
        orjson.dumps(summary.metadata).decode(),
        state.size,
        state.mtime_ns,
        int(summary.pinned),
        int(summary.archived),
    )


def _summary(row: tuple[object, ...]) -> SessionSummaryRecord:
    sid, user_id, title, created_at, updated_at, count, tags, metadata, pinned, archived = row
    return SessionSummaryRecord(
        session_id=str(sid),
        user_id=str(user_id),
        title=title if isinstance(title, str) else None,
        created_at=parse_timestamp(str(created_at)),
        updated_at=parse_timestamp(str(updated_at)),
        message_count=int(str(count)),
        tags=tuple(orjson.loads(str(tags))),
        metadata=orjson.loads(str(metadata)),
        pinned=bool(pinned),
        archived=bool(archived),
    )
