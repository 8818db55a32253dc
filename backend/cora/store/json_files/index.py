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
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson

from cora.domain import SessionFilter, SessionSummaryRecord, StorageUsage, TagCount
from cora.errors import StorageUnavailable
from cora.store.base import EVERY_SESSION, ListPosition
from cora.store.json_files.document import Trailer
from cora.timeutil import format_timestamp, parse_timestamp

# `UPDATE ... RETURNING` (SQLite 3.35) and stored generated columns (3.31).
OLDEST_SQLITE = (3, 35, 0)

# Each row as the API's JSON, written by SQLite when the row is written, so that a list reads
# it ready-made (a third of a list's cost was building it on every read). The times are as
# `row_of` and `update_tail` store them, in the API's form; tags and metadata are JSON text.
SUMMARY_JSON = (
    "json_object('session_id', session_id, 'user_id', user_id, 'title', title,"
    " 'created_at', created_at, 'updated_at', updated_at, 'message_count', message_count,"
    " 'tags', json(tags), 'metadata', json(metadata),"
    " 'pinned', json(CASE pinned WHEN 0 THEN 'false' ELSE 'true' END),"
    " 'archived', json(CASE archived WHEN 0 THEN 'false' ELSE 'true' END))"
)
# The columns written (`INSERT_ROW`); `summary_json` follows from them.
SESSION_COLUMNS = (
    "session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,"
    " file_size, file_mtime_ns, pinned, archived"
)
SESSIONS_TABLE = f"""
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
    archived INTEGER NOT NULL DEFAULT 0,
    summary_json TEXT GENERATED ALWAYS AS ({SUMMARY_JSON}) STORED
)"""
SESSIONS_BY_USER = """
CREATE INDEX IF NOT EXISTS sessions_by_user
    ON sessions (user_id, updated_at DESC, session_id DESC)"""
SCHEMA = f"""{SESSIONS_TABLE};{SESSIONS_BY_USER};
-- 'index': 'clean' after the last process closed it cleanly, 'live' while in use and in line
-- with the files, 'reconciling' until a reconciliation has finished.
CREATE TABLE IF NOT EXISTS store_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One row per process that has the store open; a row left behind is a process that crashed.
CREATE TABLE IF NOT EXISTS store_processes (token TEXT PRIMARY KEY);
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
INSERT_UNCHANGED = (
    "INSERT INTO sessions (session_id, user_id, title, created_at, updated_at,"
    " message_count, tags, metadata, file_size, file_mtime_ns, pinned, archived)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
    " user_id = excluded.user_id, title = excluded.title, created_at = excluded.created_at,"
    " updated_at = excluded.updated_at, message_count = excluded.message_count,"
    " tags = excluded.tags, metadata = excluded.metadata, file_size = excluded.file_size,"
    " file_mtime_ns = excluded.file_mtime_ns, pinned = excluded.pinned,"
    " archived = excluded.archived"
    " WHERE sessions.file_size IS ? AND sessions.file_mtime_ns IS ?"
)
# `?4`: the archived flag to show, or NULL for any; `?5`: 1 to show only pinned sessions.
_PAGE_OF_ROWS = (
    " FROM sessions WHERE user_id = ?1 AND (updated_at, session_id) < (?2, ?3)"
    " AND (?4 IS NULL OR archived = ?4) AND (?5 = 0 OR pinned = 1)"
    " ORDER BY updated_at DESC, session_id DESC LIMIT ?6"
)
SELECT_PAGE = (
    "SELECT session_id, user_id, title, created_at, updated_at, message_count, tags, metadata,"
    " pinned, archived" + _PAGE_OF_ROWS
)
# The same page with each row as the API's JSON (`SUMMARY_JSON`).
SELECT_PAGE_JSON = "SELECT summary_json, updated_at, session_id" + _PAGE_OF_ROWS
SELECT_USAGE = "SELECT count(*), coalesce(sum(file_size), 0) FROM sessions WHERE user_id = ?"
SELECT_TAG_COUNTS = (
    "SELECT tag.value, count(DISTINCT sessions.session_id) AS n"
    " FROM sessions, json_each(sessions.tags) AS tag WHERE sessions.user_id = ?"
    " GROUP BY tag.value ORDER BY n DESC, tag.value"
)
WRITTEN_HERE_CAPACITY = 4096
# Sorts after every stored position: timestamps start with a digit, "~" sorts after all of them.
FIRST_PAGE = ("~", "~")


# Many appends' index updates in two statements: each statement's step releases and takes back
# the interpreter lock, which on a busy event loop costs more than the statement.
UPDATE_TAILS = (
    "UPDATE sessions SET title = v.column1, updated_at = v.column2, message_count = v.column3,"
    " file_size = v.column4, file_mtime_ns = v.column5 FROM (VALUES {rows}) AS v"
    " WHERE sessions.session_id = v.column6"
)
SELECT_UPDATED = (
    "SELECT json_group_array(json_array(session_id, user_id, title, created_at, updated_at,"
    " message_count, tags, metadata, pinned, archived)) FROM sessions WHERE session_id IN ({ids})"
)
UPDATES_PER_STATEMENT = 500  # 3,000 parameters, under SQLite's least limit of 32,766


@dataclass(frozen=True, slots=True)
class FileState:
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """What the index knows of a session file after its last acknowledged write."""

    state: FileState
    message_count: int


class _TailUpdate:
    """One append's index update, waiting for the transaction that carries it."""

    __slots__ = ("done", "error", "parameters", "row")

    def __init__(self, parameters: tuple[object, ...]) -> None:
        self.parameters = parameters  # as `UPDATE_TAILS` takes them: the session id last
        self.done = False
        self.row: tuple[object, ...] | None = None
        self.error: BaseException | None = None


class SessionIndex:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._write_lock_path = path.with_name(path.name + ".lock")
        self._write_lock_fd: int | None = None
        self._thread_turns = threading.Lock()
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._pending: list[_TailUpdate] = []
        self._pending_lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        # The file state this process's last appends recorded, per session (the last few).
        self._written_here: OrderedDict[str, FileState] = OrderedDict()

    @property
    def path(self) -> Path:
        return self._path

    def create_schema(self) -> None:
        require_sqlite(sqlite3.sqlite_version_info)
        with self._writing() as db:
            db.executescript(SCHEMA)
            present = {row[1] for row in db.execute("PRAGMA table_xinfo(sessions)")}
            for column, statement in ADDED_COLUMNS.items():
                if column not in present:
                    db.execute(statement)
            if "summary_json" not in present:
                _copy_into_current_table(db)

    def close(self) -> None:
        """Close every connection; the next use opens new ones (to the file now at the path)."""
        for connection in self._all:
            connection.close()
        self._all.clear()
        self._idle = queue.SimpleQueue()
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
        with self._thread_turns, self._file_turn(), self._connection() as db:
            yield db

    @contextmanager
    def _file_turn(self) -> Iterator[None]:
        """The turn among processes (the caller holds this process's turn)."""
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(
                self._write_lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
            )
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        try:
            yield
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
        rows = [row_of(summary, state) for summary, state in summaries]
        with self._writing() as db:
            db.executemany(INSERT_ROW, rows)

    def update_tail(
        self, session_id: str, trailer: Trailer, state: FileState
    ) -> SessionSummaryRecord | None:
        """What an append changes; the session's row after it, or None when it has no row yet.

        Appends of this process arriving while a transaction is under way share the next one:
        whichever thread gets the turn writes every update queued so far.
        """
        return self.update_tails([(session_id, trailer, state)])[0]

    def update_tails(
        self, appended: Sequence[tuple[str, Trailer, FileState]]
    ) -> list[SessionSummaryRecord | None]:
        """`update_tail` for each of many appends (session id, trailer, file state), all in
        one transaction."""
        updates = [
            _TailUpdate(
                (
                    trailer.title,
                    format_timestamp(trailer.updated_at),
                    trailer.message_count,
                    state.size,
                    state.mtime_ns,
                    session_id,
                )
            )
            for session_id, trailer, state in appended
        ]
        with self._pending_lock:
            self._pending.extend(updates)
        with self._thread_turns:
            if not all(update.done for update in updates):
                self._write_pending()
        summaries: list[SessionSummaryRecord | None] = []
        for update, (session_id, _, state) in zip(updates, appended, strict=True):
            if update.error is not None:
                raise update.error
            if update.row is not None:
                self._remember_written(session_id, state)
            summaries.append(None if update.row is None else _summary(update.row))
        return summaries

    def written_here(self, session_id: str) -> FileState | None:
        """The file state this process's last append of the session recorded in the index, if
        among the last `WRITTEN_HERE_CAPACITY`. A file still in that state is as acknowledged
        then: any later write changes its size or mtime (another process's too)."""
        with self._pending_lock:
            return self._written_here.get(session_id)

    def _remember_written(self, session_id: str, state: FileState) -> None:
        with self._pending_lock:
            self._written_here[session_id] = state
            self._written_here.move_to_end(session_id)
            if len(self._written_here) > WRITTEN_HERE_CAPACITY:
                self._written_here.popitem(last=False)

    def _write_pending(self) -> None:
        """Write the queued tail updates in one transaction (the caller holds the turn)."""
        with self._pending_lock:
            batch, self._pending = self._pending, []
        rows: list[tuple[object, ...] | None] = []
        try:
            with self._file_turn(), self._connection() as db:
                for start in range(0, len(batch), UPDATES_PER_STATEMENT):
                    rows += _update_tails(db, batch[start : start + UPDATES_PER_STATEMENT])
        except BaseException as error:
            for update in batch:
                update.error, update.done = error, True
            raise
        for update, row in zip(batch, rows, strict=True):
            update.row, update.done = row, True

    def delete(self, session_ids: Iterable[str]) -> None:
        with self._writing() as db:
            db.executemany(
                "DELETE FROM sessions WHERE session_id = ?", [(sid,) for sid in session_ids]
            )

    def delete_user(self, user_id: str) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    def list_page(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None,
        view: SessionFilter = EVERY_SESSION,
    ) -> list[SessionSummaryRecord]:
        with self._connection() as db:
            rows = db.execute(SELECT_PAGE, _page_parameters(user_id, limit, after, view))
            return [_summary(row) for row in rows]

    def list_page_encoded(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None,
        view: SessionFilter = EVERY_SESSION,
    ) -> list[tuple[str, str, str]]:
        """The rows of `list_page`, each as (its summary as the API's JSON, updated_at as
        stored, session id)."""
        with self._connection() as db:
            rows = db.execute(SELECT_PAGE_JSON, _page_parameters(user_id, limit, after, view))
            return rows.fetchall()

    def tag_counts(self, user_id: str) -> list[TagCount]:
        with self._connection() as db:
            rows = db.execute(SELECT_TAG_COUNTS, (user_id,))
            return [TagCount(tag=str(tag), count=int(n)) for tag, n in rows]

    def usage(self, user_id: str) -> StorageUsage:
        with self._connection() as db:
            row = db.execute(SELECT_USAGE, (user_id,)).fetchone()
            return StorageUsage(sessions=int(row[0]), bytes=int(row[1]))

    def not_updated_since(self, cutoff: datetime) -> list[tuple[str, str]]:
        """(user_id, session_id) of every session last updated before `cutoff`."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT user_id, session_id FROM sessions WHERE updated_at < ?",
                (format_timestamp(cutoff),),
            )
            return [(str(user_id), str(sid)) for user_id, sid in rows]

    def updated_since(self, since: datetime) -> list[tuple[str, str]]:
        """(user_id, session_id) of every session updated at `since` or later, oldest first."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT user_id, session_id FROM sessions WHERE updated_at >= ?"
                " ORDER BY updated_at, session_id",
                (format_timestamp(since),),
            )
            return [(str(user_id), str(sid)) for user_id, sid in rows]

    def state(self) -> tuple[str | None, int]:
        """The index's state and how many processes have it open (or crashed with it open)."""
        with self._connection() as db:
            row = db.execute("SELECT value FROM store_state WHERE key = 'index'").fetchone()
            (processes,) = db.execute("SELECT count(*) FROM store_processes").fetchone()
            return (str(row[0]) if row else None), int(processes)

    def set_state(self, value: str, *, forget_processes: bool = False) -> None:
        with self._writing() as db:
            if forget_processes:
                db.execute("DELETE FROM store_processes")
            db.execute("INSERT OR REPLACE INTO store_state VALUES ('index', ?)", (value,))

    def register_process(self, token: str, *, present: bool) -> None:
        with self._writing() as db:
            if present:
                db.execute("INSERT OR REPLACE INTO store_processes VALUES (?)", (token,))
            else:
                db.execute("DELETE FROM store_processes WHERE token = ?", (token,))

    def checkpoint(self) -> None:
        """Move the write-ahead log into the database file and sync it."""
        with self._connection() as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def upsert_unchanged(
        self, rows: Iterable[tuple[SessionSummaryRecord, FileState, FileState | None]]
    ) -> None:
        """Like `upsert`, but leave a row alone that changed since it was `known`: a write of
        the session since then has put a newer row there."""
        parameters = [
            (*row_of(summary, state), *((known.size, known.mtime_ns) if known else (None, None)))
            for summary, state, known in rows
        ]
        with self._writing() as db:
            db.executemany(INSERT_UNCHANGED, parameters)

    def delete_unchanged(self, rows: Iterable[tuple[str, FileState]]) -> None:
        with self._writing() as db:
            db.executemany(
                "DELETE FROM sessions WHERE session_id = ? AND file_size = ? AND file_mtime_ns = ?",
                [(sid, known.size, known.mtime_ns) for sid, known in rows],
            )

    def acknowledged(self, session_id: str) -> Acknowledged | None:
        """The file state and message count recorded after the session's last write, if any."""
        with self._connection() as db:
            row = db.execute(
                "SELECT file_size, file_mtime_ns, message_count FROM sessions WHERE session_id = ?",
                (session_id,),
            ).fetchone()
        if row is None:
            return None
        size, mtime_ns, count = row
        return Acknowledged(FileState(int(size), int(mtime_ns)), int(count))

    def file_states_of(self, session_ids: list[str]) -> dict[str, FileState]:
        """The recorded file state of each of these sessions that has a row."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT session_id, file_size, file_mtime_ns FROM sessions"
                " WHERE session_id IN (SELECT value FROM json_each(?))",
                (orjson.dumps(session_ids).decode(),),
            )
            return {sid: FileState(size, mtime) for sid, size, mtime in rows}

    def pages_of_states(self, size: int = 5000) -> Iterator[list[tuple[str, str, FileState]]]:
        """Every row's (user_id, session_id, file state), a page at a time, by session id."""
        after = ""
        while True:
            with self._connection() as db:
                page = [
                    (str(user_id), str(sid), FileState(file_size, mtime))
                    for user_id, sid, file_size, mtime in db.execute(
                        "SELECT user_id, session_id, file_size, file_mtime_ns FROM sessions"
                        " WHERE session_id > ? ORDER BY session_id LIMIT ?",
                        (after, size),
                    )
                ]
            if not page:
                return
            yield page
            after = page[-1][1]


def _page_parameters(
    user_id: str, limit: int, after: ListPosition | None, view: SessionFilter
) -> tuple[object, ...]:
    position = (
        FIRST_PAGE if after is None else (format_timestamp(after.updated_at), after.session_id)
    )
    archived = None if view.archived is None else int(view.archived)
    return (user_id, *position, archived, int(view.pinned_only), limit)


def row_of(summary: SessionSummaryRecord, state: FileState) -> tuple[object, ...]:
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


def require_sqlite(version: tuple[int, int, int]) -> None:
    """`StorageUnavailable`, saying what to do, if Python's SQLite (`version`) is too old for the
    index."""
    if version < OLDEST_SQLITE:
        raise StorageUnavailable(
            "the JSON store's index needs SQLite 3.35 or newer, and this Python's sqlite3 module"
            f" uses {'.'.join(map(str, version))}: run Cora on a newer system or Python build"
        )


def _copy_into_current_table(db: sqlite3.Connection) -> None:
    """Give an index made before `summary_json` the column: a stored generated column cannot
    be added to a table, so its rows move to a new one, in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    db.execute("ALTER TABLE sessions RENAME TO sessions_before_summary_json")
    db.execute("DROP INDEX sessions_by_user")  # it moved with the table; the new one takes its name
    db.execute(SESSIONS_TABLE)
    db.execute(SESSIONS_BY_USER)
    db.execute(
        f"INSERT INTO sessions ({SESSION_COLUMNS})"  # noqa: S608 (constants, no input)
        f" SELECT {SESSION_COLUMNS} FROM sessions_before_summary_json"
    )
    db.execute("DROP TABLE sessions_before_summary_json")
    db.execute("COMMIT")


def _update_tails(
    db: sqlite3.Connection, updates: Sequence[_TailUpdate]
) -> list[tuple[object, ...] | None]:
    """Apply `updates` in order; for each, its session's row right after it, as the columns
    `_summary` takes (None where the index has no row for the session)."""
    ids = [update.parameters[-1] for update in updates]
    if len(set(ids)) < len(ids):  # which of two updates of one row wins is not defined
        return [row for update in updates for row in _update_tails(db, [update])]
    parameters = [value for update in updates for value in update.parameters]
    rows = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(updates))
    db.execute(UPDATE_TAILS.format(rows=rows), parameters)
    found = db.execute(SELECT_UPDATED.format(ids=", ".join(["?"] * len(ids))), ids).fetchone()
    by_id = {row[0]: tuple(row) for row in orjson.loads(found[0])}
    return [by_id.get(session_id) for session_id in ids]


def _summary(row: tuple[object, ...]) -> SessionSummaryRecord:
    sid, user_id, title, created_at, updated_at, count, tags, metadata, pinned, archived = row
    return SessionSummaryRecord(
        session_id=str(sid),
        user_id=str(user_id),
        title=title if isinstance(title, str) else None,
        created_at=parse_timestamp(str(created_at)),
        updated_at=parse_timestamp(str(updated_at)),
        message_count=count if isinstance(count, int) else int(str(count)),
        tags=() if tags == "[]" else tuple(orjson.loads(str(tags))),
        metadata={} if metadata == "{}" else orjson.loads(str(metadata)),
        pinned=bool(pinned),
        archived=bool(archived),
    )
