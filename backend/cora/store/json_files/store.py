"""Sessions as JSON files, one per session: `<data-dir>/sessions/<user_id>_<session_id>.json`."""

import asyncio
import errno
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread

from cora.domain import (
    AppendResult,
    EndedStatus,
    Feedback,
    FeedbackChange,
    MessageRecord,
    ReplyLease,
    ReplyStart,
    SessionChanges,
    SessionFilter,
    SessionRecord,
    SessionSummaryRecord,
    StorageUsage,
    TagCount,
    apply_changes,
    effective_title,
    etag_for,
    find_text,
    is_user_id,
    is_uuid,
    title_after_append,
)
from cora.encoding import dumps, session_content
from cora.errors import (
    FeedbackNotAllowed,
    MessageIdConflict,
    MessageNotFound,
    ReplyInProgress,
    ReplyNotStreaming,
    SessionCorrupt,
    SessionNotFound,
    StaleSession,
    StorageFull,
    StorageUnavailable,
    UnknownMessage,
)
from cora.metrics import measure_store
from cora.store.base import (
    EVERY_SESSION,
    EncodedMessagePage,
    EncodedSession,
    EncodedSummaryPage,
    ListPosition,
    MessagePage,
    SearchHit,
    SearchPage,
    SessionStore,
    StreamingReply,
    SummaryPage,
)
from cora.store.json_files.api_json import encoded_document, encoded_message_lines
from cora.store.json_files.batches import Batches, through_cancellation
from cora.store.json_files.document import (
    TAIL_READ_BYTES,
    DocumentError,
    Header,
    Repair,
    Tail,
    Trailer,
    decode_document,
    decode_header_line,
    decode_message_line,
    encode_document,
    encode_message,
    encode_trailer,
    find_tail,
    plan_repair,
    summarize,
)
from cora.store.json_files.index import FileState, SessionIndex, row_of
from cora.store.json_files.locking import (
    fsync_directory,
    locked_file,
    read_all,
    read_at,
    read_locked_now,
    sync_descriptors,
    sync_files,
    write_at,
    write_locked_now,
    write_new_file,
    write_temporary,
)
from cora.store.json_files.message_ids import MessageIdCache
from cora.store.json_files.rebuild import BATCH as REBUILD_BATCH
from cora.store.json_files.rebuild import INDEX_SUFFIXES, FreshIndex, read_all_rows
from cora.store.json_files.redo import discard_redo, finish_rewrite, rewrite_end
from cora.store.json_files.scan import decode_lines, message_lines_before, search_document
from cora.store.json_files.startup import CLEAN, StartupGuard
from cora.store.json_files.streaming import StreamingMarks
from cora.timeutil import next_update_time, parse_timestamp, utc_now

logger = logging.getLogger(__name__)

STALE_TEMPORARY_SECONDS = 3600
READERS = 8
RECONCILE_BATCH = 2000
SEARCH_BATCH = 200
SEARCH_SECONDS = 2.0  # a search's time budget (`JsonFileStore.search_seconds`)
FULL_DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
STORE_THREADS = 40
# Reads done on the event loop (no thread hand-off) only in files up to these sizes: reading
# and parsing more would hold up every other request.
PAGE_HERE_FILE_BYTES = 1024 * 1024
SESSION_HERE_FILE_BYTES = 256 * 1024

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ReindexReport:
    files: int
    reindexed: int
    removed: int
    unreadable: int


# A file's summary, the state it was read in, and the state the index knew before.
_Reconciled = tuple[SessionSummaryRecord, FileState, FileState | None]


class _Stopped(Exception):
    """The store closed while reconciling in the background."""


class _Relaid(Exception):
    """The file was valid JSON in another layout (edited by hand) and has been rewritten."""


class JsonFileStore(SessionStore):
    search_seconds = SEARCH_SECONDS

    def __init__(self, data_dir: Path) -> None:
        self._directory = data_dir / "sessions"
        self._index = SessionIndex(data_dir / "index.sqlite3")
        self._message_ids = MessageIdCache()
        self._startup = StartupGuard(self._index, data_dir / "index.sqlite3.open")
        self._reconciling: asyncio.Task[None] | None = None
        self._stopping = threading.Event()
        self._marks = StreamingMarks(data_dir / "replies")
        self._appends = Batches(self._finish_appends, "cora-json-sync")
        self._syncing: dict[str, asyncio.Future[AppendResult]] = {}  # by session, its lock held

    # --- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        """Open at once: a cleanly closed index is trusted; any other is reconciled with the
        files in the background while the store answers."""
        must_reconcile = await _in_thread(self._open_index)
        if must_reconcile:
            self._reconciling = asyncio.create_task(self._reconcile_in_background())
        else:
            logger.info("json store ready: %s (index closed cleanly)", self._directory)

    def _open_index(self) -> bool:
        with _storage_errors():
            self._directory.mkdir(parents=True, exist_ok=True)
            self._marks.prepare()
            self._index.create_schema()
            return self._startup.open()

    async def _reconcile_in_background(self) -> None:
        logger.info("json store ready: %s; reconciling the index with the files", self._directory)
        try:
            report = await anyio.to_thread.run_sync(partial(self._reconcile, concurrent=True))
        except _Stopped:
            return
        except Exception:
            logger.exception("reconciling the index failed; `cora reindex` rebuilds it")
            return
        await anyio.to_thread.run_sync(self._startup.reconciled)
        _log_report("json store reconciled", self._directory, report)

    async def reconciled(self) -> None:
        """Wait for the reconciliation started by `open`, if any."""
        if self._reconciling is not None:
            await asyncio.shield(self._reconciling)

    def prepare(self, *, rebuild: bool = False) -> ReindexReport:
        """Reconcile (or rebuild) the index now (`cora reindex`).

        A rebuild with no process having the store open writes a fresh index and leaves it
        marked clean (the next start trusts it); with a server running it re-reads every file
        into the live index instead, keeping rows the server writes meanwhile.
        """
        with _storage_errors():
            self._directory.mkdir(parents=True, exist_ok=True)
            self._marks.prepare()
            if rebuild:
                with self._startup.alone() as alone:
                    if alone:
                        return self._rebuild()
                self._index.create_schema()
                return self._reconcile(concurrent=True, reread=True)
            self._index.create_schema()
            return self._reconcile(concurrent=False)

    def _rebuild(self) -> ReindexReport:
        """A fresh index from the files (the caller made sure no process has the store open)."""
        path = self._index.path
        try:
            self._index.create_schema()  # the old index: what it knew of acknowledged writes
        except sqlite3.Error as error:
            logger.warning("the old index is unreadable (%s); rebuilding without it", error)
            self._index.close()
            for suffix in INDEX_SUFFIXES:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._index.create_schema()
        fresh = FreshIndex(path, path.with_name(f"{path.name}.new"))
        try:
            files, careful = 0, []
            directory_fd = os.open(self._directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                for rows, others in read_all_rows(directory_fd, self._session_file_batches()):
                    fresh.insert(rows)
                    files += len(rows) + len(others)
                    careful += others
            finally:
                os.close(directory_fd)
            # Files not read the quick way, and files changed since their last acknowledged
            # write (they must read whole): the careful way, under their lock.
            changed = fresh.changed_since(path)
            careful += [f"{user_id}_{session_id}.json" for user_id, session_id in changed]
            unreadable = 0
            for name in careful:
                session_id = name.removesuffix(".json").partition("_")[2]
                found = self._try_summary((self._directory / name, session_id))
                if found is None:
                    unreadable += 1
                    fresh.delete([session_id])
                else:
                    fresh.insert([row_of(*found)])
            self._index.close()
            fresh.finish(CLEAN)
        except BaseException:
            fresh.abandon()
            raise
        return ReindexReport(files, files - unreadable, 0, unreadable)

    def _session_file_batches(self) -> Iterator[list[str]]:
        """Session file names in batches, each in inode order (near on disk: fewer seeks)."""
        batch: list[tuple[int, str]] = []
        with os.scandir(self._directory) as entries:
            for entry in entries:
                if _parse_file_name(entry.name) is None:
                    _remove_if_stale_temporary(entry)
                    continue
                batch.append((entry.inode(), entry.name))
                if len(batch) >= REBUILD_BATCH:
                    yield [name for _, name in sorted(batch)]
                    batch = []
        if batch:
            yield [name for _, name in sorted(batch)]

    async def close(self) -> None:
        if self._reconciling is not None:
            self._stopping.set()
            with suppress(Exception):
                await self._reconciling
        # The appends submitted so far finish first: they write to the index, which is then
        # closed (and marked clean).
        await anyio.to_thread.run_sync(self._appends.close)
        with suppress(OSError, sqlite3.Error):
            await anyio.to_thread.run_sync(self._startup.close)
        self._index.close()

    async def ping(self) -> None:
        await _in_thread(self._ping)

    def _ping(self) -> None:
        with _storage_errors():
            if not os.access(self._directory, os.W_OK):
                raise StorageUnavailable(f"{self._directory} is not writable")
            self._index.list_page(user_id="-", limit=1, after=None)

    # --- reads -----------------------------------------------------------------------------

    async def get_session(self, *, user_id: str, session_id: str) -> SessionRecord:
        return await _in_thread(self._get_session, user_id, session_id)

    def _get_session(self, user_id: str, session_id: str) -> SessionRecord:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id):
            with locked_file(path, exclusive=False) as fd:
                data = read_all(fd)
            try:
                return decode_document(data)
            except DocumentError:
                with locked_file(path, exclusive=True) as fd:
                    return self._load_locked(fd, path, session_id)

    async def get_session_encoded(self, *, user_id: str, session_id: str) -> EncodedSession:
        here = self._read_here(user_id, session_id, SESSION_HERE_FILE_BYTES, _whole_session)
        if here is not None:
            return here
        return await _in_thread(self._get_session_encoded, user_id, session_id)

    def _get_session_encoded(self, user_id: str, session_id: str) -> EncodedSession:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id):
            with locked_file(path, exclusive=False) as fd:
                data = read_all(fd)
            try:
                return EncodedSession(*encoded_document(data))
            except DocumentError:
                record = self._get_session(user_id, session_id)
                return EncodedSession(dumps(session_content(record)), record.summary.etag)

    async def get_summary(self, *, user_id: str, session_id: str) -> SessionSummaryRecord:
        return await _in_thread(self._get_summary, user_id, session_id)

    def _get_summary(self, user_id: str, session_id: str) -> SessionSummaryRecord:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id):
            summary, _ = self._read_summary(path, session_id)
            return summary

    async def list_sessions(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> SummaryPage:
        # A page from the index costs less than handing it to a thread and back (SQLite in WAL
        # mode: readers never wait for writers).
        with measure_store("json", "list_page"):
            rows = self._list_page(user_id=user_id, limit=limit + 1, after=after, view=view)
        page = tuple(rows[:limit])
        more = len(rows) > limit
        position = ListPosition(page[-1].updated_at, page[-1].session_id) if more else None
        return SummaryPage(sessions=page, next_position=position)

    async def list_sessions_encoded(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> EncodedSummaryPage:
        with measure_store("json", "list_page"), _storage_errors():
            rows = self._index.list_page_encoded(
                user_id=user_id, limit=limit + 1, after=after, view=view
            )
        page = rows[:limit]
        position = None
        if len(rows) > limit:
            _, updated_at, session_id = page[-1]
            position = ListPosition(parse_timestamp(updated_at), session_id)
        encoded = ",".join(summary for summary, _, _ in page).encode()
        return EncodedSummaryPage(b"[" + encoded + b"]", position)

    def _list_page(
        self,
        *,
        user_id: str,
        limit: int,
        after: ListPosition | None,
        view: SessionFilter = EVERY_SESSION,
    ) -> list[SessionSummaryRecord]:
        with _storage_errors():
            return self._index.list_page(user_id=user_id, limit=limit, after=after, view=view)

    async def tag_counts(self, *, user_id: str) -> tuple[TagCount, ...]:
        return tuple(await _in_thread(self._tag_counts, user_id))

    def _tag_counts(self, user_id: str) -> list[TagCount]:
        with _storage_errors():
            return self._index.tag_counts(user_id)

    async def storage_usage(self, *, user_id: str) -> StorageUsage:
        return await _in_thread(self._storage_usage, user_id)

    def _storage_usage(self, user_id: str) -> StorageUsage:
        with _storage_errors():
            return self._index.usage(user_id)

    # --- writes ----------------------------------------------------------------------------

    async def create_session(self, *, session: SessionRecord) -> SessionRecord:
        await _in_thread(self._create, [session])
        return session

    async def create_sessions(self, *, sessions: Iterable[SessionRecord]) -> None:
        await _in_thread(self._create, sessions)

    def _create(self, sessions: Iterable[SessionRecord]) -> None:
        """Write every file aside (one record in memory at a time), make them durable, then
        rename them in place."""
        staged: list[tuple[Path, Path, SessionSummaryRecord]] = []
        written: list[Path] = []
        with _storage_errors():
            try:
                for record in sessions:
                    path = self._path(record.summary.user_id, record.session_id)
                    data = encode_document(record)
                    temporary = write_temporary(self._directory, path.name, data, sync=False)
                    staged.append((temporary, path, record.summary))
                sync_files(self._directory, [temporary for temporary, _, _ in staged])
                for temporary, path, _ in staged:
                    os.replace(temporary, path)
                    written.append(path)
                fsync_directory(self._directory)
            except BaseException:
                for path in [*(temporary for temporary, _, _ in staged), *written]:
                    path.unlink(missing_ok=True)
                raise
            with _index_may_lag(self._directory):
                self._index.upsert(
                    (summary, _file_state(os.stat(path))) for _, path, summary in staged
                )

    async def append_message(
        self, *, user_id: str, session_id: str, message: MessageRecord
    ) -> AppendResult:
        with measure_store("json", "append"):
            while (written := self._write_append_here(user_id, session_id, message)) is None:
                syncing = self._syncing.get(session_id)
                if syncing is None:
                    return await _run_in_thread(partial(self._append, user_id, session_id, message))
                await asyncio.wait({syncing})  # this process's append holds the lock until then
            outcome = self._appends.submit(written)
            self._syncing[session_id] = outcome
            outcome.add_done_callback(partial(self._synced, session_id))
            return await through_cancellation(outcome)

    def _synced(self, session_id: str, outcome: "asyncio.Future[AppendResult]") -> None:
        if self._syncing.get(session_id) is outcome:
            del self._syncing[session_id]

    def _write_append_here(
        self, user_id: str, session_id: str, message: MessageRecord
    ) -> "_WrittenAppend | None":
        """The common append, written on the event loop without waiting: to a session whose
        file is as its last acknowledged append left it (so no damage check), whose lock is
        free and whose message ids are cached. The lock stays held until `_finish_appends` has
        synced it. None, having written nothing, when the append must wait or read more: the
        store's threads then do it all."""
        if self._appends.closed:
            return None  # nothing may wait for a sync any more: the threads answer
        path = self._path(user_id, session_id)
        try:
            fd, stat = write_locked_now(path)
        except OSError:
            return None
        try:
            tail = self._tail_if_as_acknowledged(fd, stat, path, session_id, message)
            if tail is not None:
                discard_redo(path)
                lines, trailer, state = _write_lines(fd, tail, [message], reply=None)
                return _WrittenAppend(fd, path, session_id, tail, lines, trailer, state)
        except (OSError, DocumentError, sqlite3.Error):
            pass
        os.close(fd)
        return None

    def _tail_if_as_acknowledged(
        self, fd: int, stat: os.stat_result, path: Path, session_id: str, message: MessageRecord
    ) -> Tail | None:
        """The file's tail if the file (`fd`, its `stat` read under the lock) is as its last
        acknowledged write left it and `message` is not stored yet, as far as the id cache can
        tell from the lines appended since it last saw the file."""
        if not self._as_acknowledged(stat, session_id):
            return None
        tail = _read_tail(fd, stat.st_size)
        if tail.trailer.reply is not None:
            return None
        stored_at = self._message_ids.cached_lookup(
            str(path), message.id, fd=fd, inode=stat.st_ino, messages_end=tail.offset
        )
        return tail if stored_at is None else None  # a retry, or unknown without reading

    def _as_acknowledged(self, stat: os.stat_result, session_id: str) -> bool:
        """Whether the file (`stat`) is as its last acknowledged write left it: this process's,
        or another's that the index recorded (a read of the index, as a list makes on the loop)."""
        state = _file_state(stat)
        if self._index.written_here(session_id) == state:
            return True
        known = self._index.acknowledged(session_id)
        return known is not None and known.state == state

    def _finish_appends(self, batch: list["_WrittenAppend"]) -> list[AppendResult | Exception]:
        """Sync appends written on the loop, update their index rows in one transaction and
        unlock their files. An append whose sync failed gets its old trailer back, and the
        error its caller would have had from `append_message` done in full on a thread."""
        try:
            errors = sync_descriptors(self._directory, [written.fd for written in batch])
            synced = [written for written, error in zip(batch, errors, strict=True) if not error]
            summaries = iter(self._index_appended(synced))
            outcomes: list[AppendResult | Exception] = []
            for written, error in zip(batch, errors, strict=True):
                if error is None:
                    summary = next(summaries)
                    outcomes.append(AppendResult(written.message, created=True, summary=summary))
                else:
                    _restore_trailer(written.fd, written.tail)
                    outcomes.append(_storage_error(error, written.session_id))
            return outcomes
        finally:
            for written in batch:
                os.close(written.fd)

    def _index_appended(self, synced: list["_WrittenAppend"]) -> list[SessionSummaryRecord | None]:
        """After their syncs: the appends' message ids cached, their index rows updated in one
        transaction; each append's session row (None where the index could not follow or the
        file had to be indexed afresh)."""
        for written in synced:
            self._cache_ids(written.path, written.tail, written.lines)
        appended = [(w.session_id, w.trailer, w.state) for w in synced]
        summaries: list[SessionSummaryRecord | None] = [None] * len(synced)
        with _index_may_lag(self._directory):
            summaries = self._index.update_tails(appended)
            for written, summary in zip(synced, summaries, strict=True):
                if summary is None:
                    with _index_may_lag(written.path):
                        self._index_file(written.fd, written.path, written.session_id)
        return summaries

    def _append(self, user_id: str, session_id: str, message: MessageRecord) -> AppendResult:
        return _once_relaid(partial(self._append_once, user_id, session_id, message))

    def _append_once(self, user_id: str, session_id: str, message: MessageRecord) -> AppendResult:
        path = self._path(user_id, session_id)
        key = str(path)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            tail = self._tail_locked(fd, path, session_id)
            discard_redo(path)
            stored = self._stored_message(fd, key, tail, message)
            if stored is not None:
                return AppendResult(stored, created=False)
            if tail.trailer.reply is not None:
                raise ReplyInProgress(session_id)
            summary = self._append_lines(fd, path, session_id, tail, [message], reply=None)
            return AppendResult(message, created=True, summary=summary)

    def _stored_message(
        self, fd: int, key: str, tail: Tail, message: MessageRecord
    ) -> MessageRecord | None:
        """The message stored under `message.id`, if any; `MessageIdConflict` if it differs."""
        offset = self._message_ids.lookup(
            key, message.id, fd=fd, inode=os.fstat(fd).st_ino, messages_end=tail.offset
        )
        if offset is None:
            return None
        stored = self._message_at(fd, offset)
        if not stored.same_content(message):
            raise MessageIdConflict(message.id)
        return stored

    def _append_lines(
        self,
        fd: int,
        path: Path,
        session_id: str,
        tail: Tail,
        messages: Sequence[MessageRecord],
        *,
        reply: ReplyLease | None,
    ) -> SessionSummaryRecord | None:
        """Write `messages` after the last one and a new trailer, in one write and one sync;
        the session's index row after it (None when the file had to be indexed afresh)."""
        lines, trailer, state = _write_lines(fd, tail, messages, reply=reply)
        _sync_tail(fd, tail)
        written = _WrittenAppend(fd, path, session_id, tail, lines, trailer, state)
        return self._index_appended([written])[0]

    def _cache_ids(
        self, path: Path, tail: Tail, lines: Sequence[tuple[MessageRecord, bytes]]
    ) -> None:
        offset = tail.offset
        for message, line in lines:
            self._message_ids.record(
                str(path), message_id=message.id, offset=offset, messages_end=offset + len(line)
            )
            offset += len(line)

    async def replace_session(
        self,
        *,
        user_id: str,
        session_id: str,
        messages: Sequence[MessageRecord] | None,
        changes: SessionChanges,
        expected_etag: str | None = None,
    ) -> SessionRecord:
        return await _in_thread(
            partial(
                self._replace,
                user_id=user_id,
                session_id=session_id,
                messages=messages,
                changes=changes,
                expected_etag=expected_etag,
            )
        )

    def _replace(
        self,
        *,
        user_id: str,
        session_id: str,
        messages: Sequence[MessageRecord] | None,
        changes: SessionChanges,
        expected_etag: str | None,
    ) -> SessionRecord:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            current = self._load_locked(fd, path, session_id)
            reply = _read_tail(fd).trailer.reply
            if expected_etag is not None and current.summary.etag != expected_etag:
                raise StaleSession(session_id)
            if messages is not None and reply is not None:
                raise ReplyInProgress(session_id)
            kept = current.messages if messages is None else tuple(messages)
            custom_title = changes.title if changes.set_title else current.custom_title
            summary = replace(
                apply_changes(current.summary, changes),
                title=effective_title(custom_title, kept),
                updated_at=next_update_time(current.summary.updated_at),
                message_count=len(kept),
            )
            record = SessionRecord(summary=summary, custom_title=custom_title, messages=kept)
            self._write_whole_locked(path, record, reply)
            return record

    async def set_feedback(
        self, *, user_id: str, session_id: str, message_id: str, feedback: Feedback | None
    ) -> FeedbackChange:
        return await _in_thread(self._set_feedback, user_id, session_id, message_id, feedback)

    def _set_feedback(
        self, user_id: str, session_id: str, message_id: str, feedback: Feedback | None
    ) -> FeedbackChange:
        """A message in the middle of the file changes: the whole file is replaced (rare)."""
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            current = self._load_locked(fd, path, session_id)
            position = next((i for i, m in enumerate(current.messages) if m.id == message_id), None)
            if position is None:
                raise MessageNotFound(message_id)
            message = current.messages[position]
            if message.sender != "assistant":
                raise FeedbackNotAllowed(message_id)
            updated_at = next_update_time(current.summary.updated_at)
            changed = replace(
                message, feedback=feedback, feedback_at=updated_at if feedback else None
            )
            messages = (*current.messages[:position], changed, *current.messages[position + 1 :])
            summary = replace(current.summary, updated_at=updated_at)
            reply = _read_tail(fd).trailer.reply
            record = SessionRecord(summary, current.custom_title, messages)
            self._write_whole_locked(path, record, reply)
            return FeedbackChange(changed, previous=message.feedback)

    def _write_whole_locked(
        self, path: Path, record: SessionRecord, reply: ReplyLease | None
    ) -> None:
        """Replace a file this thread holds exclusively (temporary file, fsync, rename), keeping
        the lease of a reply being written."""
        write_new_file(self._directory, path.name, encode_document(record, reply))
        fsync_directory(self._directory)
        self._message_ids.forget(str(path))
        with _index_may_lag(path):
            self._index.upsert([(record.summary, _file_state(os.stat(path)))])

    async def delete_session(
        self, *, user_id: str, session_id: str, expected_etag: str | None = None
    ) -> None:
        await _in_thread(self._delete, user_id, session_id, expected_etag)

    def _delete(self, user_id: str, session_id: str, expected_etag: str | None) -> None:
        _once_relaid(partial(self._delete_once, user_id, session_id, expected_etag))

    def _delete_once(self, user_id: str, session_id: str, expected_etag: str | None) -> None:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            if expected_etag is not None:
                tail = self._tail_locked(fd, path, session_id)
                if etag_for(tail.trailer.updated_at) != expected_etag:
                    raise StaleSession(session_id)
            self._remove_locked(path, session_id)

    def _remove_locked(self, path: Path, session_id: str) -> None:
        path.unlink()
        fsync_directory(self._directory)
        discard_redo(path)
        ids = _parse_file_name(path.name)
        if ids is not None:
            self._marks.unmark(*ids)
        self._message_ids.forget(str(path))
        self._index.delete([session_id])

    # --- replies being written ------------------------------------------------------------

    async def start_reply(
        self,
        *,
        user_id: str,
        session_id: str,
        reply: MessageRecord,
        writer: str,
        question: MessageRecord | None = None,
    ) -> ReplyStart:
        start = partial(self._start_reply, user_id, session_id, reply, writer, question)
        return await _in_thread(start)

    def _start_reply(
        self,
        user_id: str,
        session_id: str,
        reply: MessageRecord,
        writer: str,
        question: MessageRecord | None,
    ) -> ReplyStart:
        once = partial(self._start_reply_once, user_id, session_id, reply, writer, question)
        return _once_relaid(once)

    def _start_reply_once(
        self,
        user_id: str,
        session_id: str,
        reply: MessageRecord,
        writer: str,
        question: MessageRecord | None,
    ) -> ReplyStart:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            tail = self._tail_locked(fd, path, session_id)
            discard_redo(path)
            if question is not None:
                stored = self._stored_message(fd, str(path), tail, question)
                if stored is not None:
                    return ReplyStart(AppendResult(stored, created=False), started=False)
            if tail.trailer.reply is not None:
                raise ReplyInProgress(session_id)
            self._marks.mark(user_id, session_id)
            lease = ReplyLease(reply.id, writer, utc_now())
            lines = [reply] if question is None else [question, reply]
            self._append_lines(fd, path, session_id, tail, lines, reply=lease)
            appended = None if question is None else AppendResult(question, created=True)
            return ReplyStart(appended, started=True)

    async def update_reply(
        self, *, user_id: str, session_id: str, reply: MessageRecord, writer: str
    ) -> MessageRecord:
        update = partial(self._update_reply, user_id, session_id, reply, writer)
        return await _in_thread(update)

    def _update_reply(
        self, user_id: str, session_id: str, reply: MessageRecord, writer: str
    ) -> MessageRecord:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            tail = self._tail_locked(fd, path, session_id)
            lease = tail.trailer.reply
            if lease is None or lease.message_id != reply.id:
                raise ReplyNotStreaming(reply.id)
            streams = reply.status == "streaming"
            renewed = ReplyLease(reply.id, writer, utc_now()) if streams else None
            self._rewrite_reply(fd, path, session_id, tail, reply, renewed)
            return reply

    async def end_reply(
        self,
        *,
        user_id: str,
        session_id: str,
        message_id: str,
        status: EndedStatus,
        metadata: Mapping[str, Any],
        renewed_at: datetime | None = None,
    ) -> MessageRecord | None:
        end = partial(
            self._end_reply, user_id, session_id, message_id, status, metadata, renewed_at
        )
        return await _in_thread(end)

    def _end_reply(
        self,
        user_id: str,
        session_id: str,
        message_id: str,
        status: EndedStatus,
        metadata: Mapping[str, Any],
        renewed_at: datetime | None,
    ) -> MessageRecord | None:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            tail = self._tail_locked(fd, path, session_id)
            lease = tail.trailer.reply
            if lease is None or lease.message_id != message_id:
                return None
            if renewed_at is not None and lease.renewed_at != renewed_at:
                return None
            current = self._last_message(fd, path, session_id, tail)
            ended = replace(current, status=status, metadata={**current.metadata, **metadata})
            self._rewrite_reply(fd, path, session_id, tail, ended, None)
            return ended

    def _rewrite_reply(
        self,
        fd: int,
        path: Path,
        session_id: str,
        tail: Tail,
        reply: MessageRecord,
        lease: ReplyLease | None,
    ) -> None:
        """Rewrite the streaming reply (the last line) and the trailer; without `lease` the
        reply has ended. Lease renewals leave the mark; an ended reply removes it."""
        offsets = self._message_ids.offsets(
            str(path), fd=fd, inode=os.fstat(fd).st_ino, messages_end=tail.offset
        )
        offset = offsets.get(reply.id)
        if offset is None:
            raise ReplyNotStreaming(reply.id)
        ended = lease is None
        if ended and reply.status == "streaming":
            raise ValueError("an ended reply needs a final status")
        old = tail.trailer
        trailer = replace(old, updated_at=next_update_time(old.updated_at), reply=lease)
        line = encode_message(reply, first=read_at(fd, 1, offset) != b",")
        rewrite_end(fd, path, offset, line + encode_trailer(trailer))
        self._message_ids.resized_last(
            str(path), offset=offset, old_end=tail.offset, messages_end=offset + len(line)
        )
        with _index_may_lag(path):
            if self._index.update_tail(session_id, trailer, _file_state(os.fstat(fd))) is None:
                self._index_file(fd, path, session_id)
        if ended:
            ids = _parse_file_name(path.name)
            if ids is not None:
                self._marks.unmark(*ids)

    async def streaming_reply(self, *, user_id: str, session_id: str) -> MessageRecord | None:
        return await _in_thread(self._streaming_reply, user_id, session_id)

    def _streaming_reply(self, user_id: str, session_id: str) -> MessageRecord | None:
        path = self._path(user_id, session_id)
        with _storage_errors(session_id), locked_file(path, exclusive=True) as fd:
            tail = self._tail_locked(fd, path, session_id)
            if tail.trailer.reply is None:
                return None
            last = self._last_message(fd, path, session_id, tail)
            return last if last.id == tail.trailer.reply.message_id else None

    def _last_message(self, fd: int, path: Path, session_id: str, tail: Tail) -> MessageRecord:
        lines = message_lines_before(fd, tail.offset, 1)
        try:
            return decode_lines(lines)[0]
        except (DocumentError, IndexError) as error:
            raise self._corrupt(path, session_id, error) from error

    async def streaming_replies(self) -> list[StreamingReply]:
        return await _in_thread(self._streaming_replies)

    def _streaming_replies(self) -> list[StreamingReply]:
        found = []
        with _storage_errors():
            marked = self._marks.marked()
        for user_id, session_id in marked:
            with suppress(SessionNotFound, SessionCorrupt, StorageUnavailable):
                lease = self._lease_or_unmark(user_id, session_id)
                if lease is not None:
                    age = utc_now() - lease.renewed_at
                    found.append(StreamingReply(user_id, session_id, lease, age))
        return found

    def _lease_or_unmark(self, user_id: str, session_id: str) -> ReplyLease | None:
        """The session's reply lease; a mark without one (or without a file) is removed."""
        try:
            path = self._path(user_id, session_id)
        except SessionNotFound:
            self._marks.unmark(user_id, session_id)
            raise
        with _storage_errors(session_id):
            try:
                with locked_file(path, exclusive=True) as fd:
                    lease = self._tail_locked(fd, path, session_id).trailer.reply
                    if lease is None:
                        self._marks.unmark(user_id, session_id)
                    return lease
            except FileNotFoundError:
                self._marks.unmark(user_id, session_id)
                raise

    async def delete_user_sessions(self, *, user_id: str) -> int:
        return await _in_thread(self._delete_user_sessions, user_id)

    def _delete_user_sessions(self, user_id: str) -> int:
        if not is_user_id(user_id):
            return 0
        deleted = 0
        with _storage_errors():
            with os.scandir(self._directory) as entries:
                names = [entry.name for entry in entries if entry.name.startswith(f"{user_id}_")]
            for name in names:
                ids = _parse_file_name(name)
                if ids is None or ids[0] != user_id:
                    continue
                with (
                    suppress(FileNotFoundError),
                    locked_file(path := self._directory / name, exclusive=True),
                ):
                    self._remove_locked(path, ids[1])
                    deleted += 1
            self._index.delete_user(user_id)
        return deleted

    async def list_messages(
        self, *, user_id: str, session_id: str, limit: int, before: str | None = None
    ) -> MessagePage:
        return await _in_thread(self._list_messages, user_id, session_id, limit, before)

    def _list_messages(
        self, user_id: str, session_id: str, limit: int, before: str | None
    ) -> MessagePage:
        messages, has_more = self._page_of_messages(
            user_id, session_id, limit, before, decode_lines
        )
        return MessagePage(messages=tuple(messages), has_more=has_more)

    async def list_messages_encoded(
        self, *, user_id: str, session_id: str, limit: int, before: str | None = None
    ) -> EncodedMessagePage:
        if before is None:
            read = partial(_latest_messages, limit)
            here = self._read_here(user_id, session_id, PAGE_HERE_FILE_BYTES, read)
            if here is not None:
                return EncodedMessagePage(*here)
        page = partial(self._page_of_messages, user_id, session_id, limit, before)
        return EncodedMessagePage(*await _in_thread(page, encoded_message_lines))

    def _read_here(
        self, user_id: str, session_id: str, most_bytes: int, read: Callable[[int], T]
    ) -> T | None:
        """`read(fd)` on the event loop, when that needs no wait: the file no bigger than
        `most_bytes`, its lock free or shared, as its last acknowledged write left it, and
        readable. None, to read it on a thread, where waits, repairs and refusals happen."""
        try:
            fd = read_locked_now(self._path(user_id, session_id))
        except OSError:
            return None
        try:
            stat = os.fstat(fd)
            if stat.st_size <= most_bytes and self._as_acknowledged(stat, session_id):
                return read(fd)
        except (OSError, DocumentError, sqlite3.Error):
            pass
        finally:
            os.close(fd)
        return None

    def _page_of_messages(
        self,
        user_id: str,
        session_id: str,
        limit: int,
        before: str | None,
        decode: Callable[[list[bytes]], R],
    ) -> tuple[R, bool]:
        """The page's message lines as `decode` reads them, and whether earlier ones exist."""
        path = self._path(user_id, session_id)
        # Finding `before` uses the id cache, which only a holder of the exclusive lock updates.
        with _storage_errors(session_id), locked_file(path, exclusive=before is not None) as fd:
            tail = self._tail_for_read(fd, path, session_id, exclusive=before is not None)
            end = tail.offset
            if before is not None:
                offsets = self._message_ids.offsets(
                    str(path), fd=fd, inode=os.fstat(fd).st_ino, messages_end=tail.offset
                )
                if before not in offsets:
                    raise UnknownMessage(before)
                end = offsets[before]
            lines = message_lines_before(fd, end, limit + 1)
            try:
                return decode(lines[-limit:]), len(lines) > limit
            except DocumentError as error:
                raise self._corrupt(path, session_id, error) from error

    def _tail_for_read(self, fd: int, path: Path, session_id: str, *, exclusive: bool) -> Tail:
        try:
            if self._damaged_since_acknowledged(fd, session_id):
                raise DocumentError("changed since its last acknowledged write and unreadable")
            return _read_tail(fd)
        except DocumentError as error:
            if exclusive:
                return self._repair(fd, path, session_id)
            raise self._corrupt(path, session_id, error) from error

    async def search_sessions(
        self,
        *,
        user_id: str,
        text: str | None,
        tag: str | None,
        limit: int,
        after: ListPosition | None = None,
        view: SessionFilter = EVERY_SESSION,
    ) -> SearchPage:
        """Searches stop between two files once `search_seconds` have passed (the page then
        holds what was found and a cursor to go on) or as soon as their caller is gone."""
        gone = threading.Event()
        deadline = time.monotonic() + self.search_seconds

        def must_stop() -> bool:
            return gone.is_set() or time.monotonic() > deadline

        search = partial(
            self._search,
            user_id=user_id,
            text=text,
            tag=tag,
            limit=limit,
            after=after,
            view=view,
            must_stop=must_stop,
        )
        try:
            with measure_store("json", "search"):
                return await anyio.to_thread.run_sync(search, abandon_on_cancel=True)
        finally:
            gone.set()

    def _search(
        self,
        *,
        user_id: str,
        text: str | None,
        tag: str | None,
        limit: int,
        after: ListPosition | None,
        view: SessionFilter,
        must_stop: Callable[[], bool] = lambda: False,
    ) -> SearchPage:
        hits: list[SearchHit] = []
        position = after
        scanned: ListPosition | None = None  # the last session read, when the search stopped
        while len(hits) <= limit and scanned is None:
            page = self._list_page(user_id=user_id, limit=SEARCH_BATCH, after=position, view=view)
            for summary in page:
                hit = self._search_one(summary, text, tag)
                if hit is not None:
                    hits.append(hit)
                    if len(hits) > limit:
                        break
                if must_stop():  # after one file at least: every call makes progress
                    scanned = ListPosition(summary.updated_at, summary.session_id)
                    break
            if len(page) < SEARCH_BATCH:
                break
            position = ListPosition(page[-1].updated_at, page[-1].session_id)
        shown = tuple(hits[:limit])
        if len(hits) > limit:
            last = shown[-1].summary
            return SearchPage(shown, ListPosition(last.updated_at, last.session_id))
        return SearchPage(hits=shown, next_position=scanned)

    def _search_one(
        self, summary: SessionSummaryRecord, text: str | None, tag: str | None
    ) -> SearchHit | None:
        if tag is not None and tag not in summary.tags:
            return None
        if not text:
            return SearchHit(summary=summary, match=None)
        path = f"{self._directory}/{summary.user_id}_{summary.session_id}.json"
        try:
            with locked_file(path, exclusive=False) as fd:
                in_messages, snippet = search_document(read_all(fd), text)
        except FileNotFoundError:
            return None
        labels = [summary.title or "", *summary.tags]
        if in_messages or any(find_text(label, text) for label in labels):
            return SearchHit(summary=summary, match=snippet)
        return None

    async def delete_sessions_updated_before(
        self, *, cutoff: datetime, dry_run: bool = False
    ) -> list[tuple[str, str]]:
        return await _in_thread(self._delete_expired, cutoff, dry_run)

    async def sessions_updated_since(self, *, since: datetime) -> list[tuple[str, str]]:
        return await _in_thread(self._updated_since, since)

    def _updated_since(self, since: datetime) -> list[tuple[str, str]]:
        with _storage_errors():
            return self._index.updated_since(since)

    def _delete_expired(self, cutoff: datetime, dry_run: bool) -> list[tuple[str, str]]:
        with _storage_errors():
            candidates = self._index.not_updated_since(cutoff)
        if dry_run:
            return list(candidates)
        deleted: list[tuple[str, str]] = []
        for user_id, session_id in candidates:
            path = self._path(user_id, session_id)
            with suppress(SessionNotFound), _storage_errors(session_id):
                with locked_file(path, exclusive=True) as fd:
                    if self._tail_locked(fd, path, session_id).trailer.updated_at >= cutoff:
                        continue
                    self._remove_locked(path, session_id)
                deleted.append((user_id, session_id))
        return deleted

    # --- the index -------------------------------------------------------------------------

    def _reconcile(self, *, concurrent: bool, reread: bool = False) -> ReindexReport:
        """Bring the index in line with the files: re-read changed files, drop vanished ones.

        `concurrent`: the store is answering meanwhile, so a row written since the scan began
        is newer than what the scan read and is kept. `reread`: every file, changed or not.
        Memory stays flat with the number of files: the directory is taken in batches, each
        compared with the rows of its sessions, then the rows are walked in pages for files
        that no longer exist.
        """
        files = reindexed = unreadable = 0
        batch: list[tuple[Path, str, FileState]] = []

        def reconcile_batch() -> None:
            nonlocal reindexed, unreadable
            known = self._index.file_states_of([sid for _, sid, _ in batch])
            stale = [(path, sid) for path, sid, state in batch if reread or known.get(sid) != state]
            batch.clear()
            fresh: list[_Reconciled] = []
            for (_, sid), found in zip(stale, readers.map(self._try_summary, stale), strict=True):
                if found is None:
                    unreadable += 1
                    continue
                fresh.append((*found, known.get(sid)))
                reindexed += 1
            self._write_reconciled(fresh, concurrent=concurrent)

        # Threads overlap the reads (small files: one read of the whole file each).
        with os.scandir(self._directory) as entries, ThreadPoolExecutor(READERS) as readers:
            for entry in entries:
                if self._stopping.is_set():
                    raise _Stopped
                ids = _parse_file_name(entry.name)
                if ids is None:
                    _remove_if_stale_temporary(entry)
                    continue
                try:
                    state = _file_state(entry.stat())
                except FileNotFoundError:
                    continue
                files += 1
                batch.append((Path(entry.path), ids[1], state))
                if len(batch) >= RECONCILE_BATCH:
                    reconcile_batch()
            reconcile_batch()
        return ReindexReport(
            files, reindexed, self._drop_vanished(concurrent=concurrent), unreadable
        )

    def _drop_vanished(self, *, concurrent: bool) -> int:
        """Delete the rows of files no longer there (`concurrent`: unless written meanwhile)."""
        removed = 0
        directory_fd = os.open(self._directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for page in self._index.pages_of_states():
                if self._stopping.is_set():
                    raise _Stopped
                vanished = [
                    (session_id, state)
                    for user_id, session_id, state in page
                    if not _exists(f"{user_id}_{session_id}.json", directory_fd)
                ]
                if concurrent:
                    self._index.delete_unchanged(vanished)
                else:
                    self._index.delete(session_id for session_id, _ in vanished)
                removed += len(vanished)
        finally:
            os.close(directory_fd)
        return removed

    def _try_summary(self, item: tuple[Path, str]) -> tuple[SessionSummaryRecord, FileState] | None:
        try:
            return self._read_summary(*item)
        except (SessionCorrupt, SessionNotFound, FileNotFoundError):
            return None

    def _write_reconciled(self, rows: list[_Reconciled], *, concurrent: bool) -> None:
        if concurrent:
            self._index.upsert_unchanged(rows)
        else:
            self._index.upsert((summary, state) for summary, state, _ in rows)

    def _index_file(self, fd: int, path: Path, session_id: str) -> None:
        tail = self._tail_locked(fd, path, session_id)
        summary = summarize(self._header_locked(fd, path, session_id), tail.trailer)
        self._index.upsert([(summary, _file_state(os.fstat(fd)))])

    # --- reading a locked file -------------------------------------------------------------

    def _read_summary(self, path: Path, session_id: str) -> tuple[SessionSummaryRecord, FileState]:
        return _once_relaid(partial(self._read_summary_once, path, session_id))

    def _read_summary_once(
        self, path: Path, session_id: str
    ) -> tuple[SessionSummaryRecord, FileState]:
        with locked_file(path, exclusive=False) as fd:
            try:
                stat = os.fstat(fd)
                if self._damaged_since_acknowledged(fd, session_id):
                    raise DocumentError("changed since its last acknowledged write")
                if stat.st_size <= TAIL_READ_BYTES:  # the whole file in one read
                    data = read_at(fd, stat.st_size, 0)
                    header = decode_header_line(data[: data.find(b"\n")])
                    trailer = find_tail(data, 0).trailer
                else:
                    header = decode_header_line(_first_line(fd))
                    trailer = _read_tail(fd).trailer
                return summarize(header, trailer), _file_state(stat)
            except DocumentError:
                pass
        with locked_file(path, exclusive=True) as fd:
            tail = self._tail_locked(fd, path, session_id)
            header = self._header_locked(fd, path, session_id)
            return summarize(header, tail.trailer), _file_state(os.fstat(fd))

    def _header_locked(self, fd: int, path: Path, session_id: str) -> Header:
        try:
            return decode_header_line(_first_line(fd))
        except DocumentError as error:
            raise self._corrupt(path, session_id, error) from error

    def _tail_locked(self, fd: int, path: Path, session_id: str) -> Tail:
        """The trailer of a file this thread holds exclusively, repairing a torn end first."""
        try:
            if self._damaged_since_acknowledged(fd, session_id):
                raise DocumentError("changed since its last acknowledged write")
            return _read_tail(fd)
        except DocumentError:
            return self._repair(fd, path, session_id)

    def _damaged_since_acknowledged(self, fd: int, session_id: str) -> bool:
        """Whether the file changed since the index recorded its last acknowledged write and no
        longer reads whole. Costs one index lookup when it did not change (none when this
        process wrote it last):
        reading only the tail would not see damage before it."""
        state = _file_state(os.fstat(fd))
        if self._index.written_here(session_id) == state:
            return False  # as this process's last append left it: no index lookup
        known = self._index.acknowledged(session_id)
        if known is None or known.state == state:
            return False
        try:
            decode_document(read_all(fd))
        except DocumentError:
            return True
        return False

    def _load_locked(self, fd: int, path: Path, session_id: str) -> SessionRecord:
        try:
            return decode_document(read_all(fd))
        except DocumentError:
            self._repair(fd, path, session_id)
        try:
            return decode_document(read_all(fd))
        except DocumentError as error:
            raise self._corrupt(path, session_id, error) from error

    def _repair(self, fd: int, path: Path, session_id: str) -> Tail:
        if finish_rewrite(fd, path):
            logger.warning("finished the interrupted rewrite of the end of %s", path)
            with suppress(DocumentError):
                return _read_tail(fd)
        data = read_all(fd)
        try:
            plan = plan_repair(data)
        except DocumentError as error:
            self._relay(data, path, session_id, error)
            raise self._corrupt(path, session_id, error) from error
        self._refuse_truncation(data, plan, path, session_id)
        raw = encode_trailer(plan.trailer)
        write_at(fd, raw, plan.messages_end)
        os.ftruncate(fd, plan.messages_end + len(raw))
        os.fdatasync(fd)
        logger.warning(
            "repaired the torn end of %s: kept %d messages,"
            " dropped %d bytes of a write never acknowledged",
            path,
            plan.trailer.message_count,
            len(data) - plan.messages_end,
        )
        self._message_ids.forget(str(path))
        if plan.trailer.reply is not None:
            self._marks.mark(plan.header.user_id, plan.header.session_id)
        self._index.upsert([(summarize(plan.header, plan.trailer), _file_state(os.fstat(fd)))])
        return Tail(plan.messages_end, plan.trailer, raw, opens_list=not plan.messages)

    def _refuse_truncation(self, data: bytes, plan: Repair, path: Path, session_id: str) -> None:
        """Only a torn tail is repaired (contract 6): a file shorter than its last acknowledged
        size, or whose repair would drop acknowledged messages, was truncated and is left as is."""
        known = self._index.acknowledged(session_id)
        if known is None:
            return
        if len(data) < known.state.size:
            reason = f"truncated: {len(data)} bytes, {known.state.size} acknowledged"
        elif plan.trailer.message_count < known.message_count:
            reason = (
                f"truncated: {plan.trailer.message_count} complete messages,"
                f" {known.message_count} acknowledged"
            )
        else:
            return
        raise self._corrupt(path, session_id, DocumentError(reason))

    def _relay(self, data: bytes, path: Path, session_id: str, layout_error: Exception) -> None:
        """Rewrite a readable document in Cora's layout, then have the caller open it again."""
        try:
            record = decode_document(data)
        except DocumentError:
            return
        if record.session_id != session_id:
            return
        write_new_file(self._directory, path.name, encode_document(record))
        fsync_directory(self._directory)
        self._message_ids.forget(str(path))
        logger.warning("rewrote %s in Cora's file layout (%s)", path, layout_error)
        raise _Relaid

    def _message_at(self, fd: int, offset: int) -> MessageRecord:
        line = _line_at(fd, offset)
        return decode_message_line(line, first=not line.startswith(b","))

    def _corrupt(self, path: Path, session_id: str, error: Exception) -> SessionCorrupt:
        logger.error("session file unreadable: %s (%s)", path, error)
        return SessionCorrupt(session_id)

    def _path(self, user_id: str, session_id: str) -> Path:
        return _session_path(self._directory, user_id, session_id)


@lru_cache(maxsize=4096)  # the same Path (its text kept) for a session's requests
def _session_path(directory: Path, user_id: str, session_id: str) -> Path:
    if not (is_user_id(user_id) and is_uuid(session_id)):
        raise SessionNotFound(session_id)
    return directory / f"{user_id}_{session_id}.json"


def _once_relaid(operation: Callable[[], T]) -> T:
    try:
        return operation()
    except _Relaid:
        return operation()


def _latest_messages(limit: int, fd: int) -> tuple[bytes, bool]:
    """The latest `limit` messages of a whole file as the API's JSON, and whether there are
    earlier ones."""
    lines = message_lines_before(fd, _read_tail(fd).offset, limit + 1)
    return encoded_message_lines(lines[-limit:]), len(lines) > limit


def _whole_session(fd: int) -> EncodedSession:
    return EncodedSession(*encoded_document(read_all(fd)))


def _write_lines(
    fd: int, tail: Tail, messages: Sequence[MessageRecord], *, reply: ReplyLease | None
) -> tuple[list[tuple[MessageRecord, bytes]], Trailer, FileState]:
    """Write `messages` after the last one and a new trailer, in one write, not yet synced
    (`_sync_tail`); each message with its line, the new trailer, and the file's state after the
    write (a sync leaves its size and mtime as they are). On an error, the old trailer back."""
    old = tail.trailer
    title = old.title
    lines: list[tuple[MessageRecord, bytes]] = []
    for message in messages:
        title = title_after_append(title, message)
        lines.append((message, encode_message(message, first=tail.opens_list and not lines)))
    trailer = Trailer(
        title=title,
        updated_at=next_update_time(old.updated_at),
        message_count=old.message_count + len(messages),
        reply=reply,
    )
    data = b"".join(line for _, line in lines) + encode_trailer(trailer)
    try:
        write_at(fd, data, tail.offset)
        if len(data) < len(tail.raw):  # the trailer ends the file: longer data only extends it
            os.ftruncate(fd, tail.offset + len(data))
        state = _file_state(os.fstat(fd))
    except OSError:
        _restore_trailer(fd, tail)
        raise
    return lines, trailer, state


def _sync_tail(fd: int, tail: Tail) -> None:
    """Make what `_write_lines` wrote durable; if that fails (a full disk), put the old
    trailer back."""
    try:
        os.fdatasync(fd)
    except OSError:
        _restore_trailer(fd, tail)
        raise


def _restore_trailer(fd: int, tail: Tail) -> None:
    # The old trailer first, then the length: the file is never shorter than acknowledged.
    with suppress(OSError):
        write_at(fd, tail.raw, tail.offset)
        os.ftruncate(fd, tail.offset + len(tail.raw))
        os.fdatasync(fd)


@dataclass(frozen=True, slots=True)
class _WrittenAppend:
    """Lines appended to a locked file: by an append on the event loop waiting for its sync, or
    by one on a thread, synced."""

    fd: int
    path: Path
    session_id: str
    tail: Tail
    lines: list[tuple[MessageRecord, bytes]]
    trailer: Trailer
    state: FileState  # after the write (`_write_lines`)

    @property
    def message(self) -> MessageRecord:
        """The message an append wrote (its only line)."""
        return self.lines[0][0]


def _read_tail(fd: int, size: int | None = None) -> Tail:
    """The file's tail; `size` if the caller has just read it, under the lock."""
    if size is None:
        size = os.fstat(fd).st_size
    start = max(0, size - TAIL_READ_BYTES)
    return find_tail(read_at(fd, size - start, start), start)


def _first_line(fd: int) -> bytes:
    return _line_at(fd, 0)


def _line_at(fd: int, offset: int) -> bytes:
    chunks: list[bytes] = []
    while chunk := read_at(fd, 65536, offset):
        newline = chunk.find(b"\n")
        if newline != -1:
            chunks.append(chunk[:newline])
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _exists(name: str, directory_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=directory_fd)
    except FileNotFoundError:
        return False
    return True


def _file_state(stat: os.stat_result) -> FileState:
    return FileState(size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _parse_file_name(name: str) -> tuple[str, str] | None:
    stem, _, suffix = name.rpartition(".")
    user_id, _, session_id = stem.partition("_")
    if suffix != "json" or not (is_user_id(user_id) and is_uuid(session_id)):
        return None
    return user_id, session_id


def _remove_if_stale_temporary(entry: os.DirEntry[str]) -> None:
    if entry.name.startswith(".tmp-"):
        with suppress(FileNotFoundError):
            if time.time() - entry.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                os.unlink(entry.path)


@contextmanager
def _index_may_lag(path: Path) -> Iterator[None]:
    """Around the index update that follows a durable write: the write stands and is
    acknowledged (contract 6) even if the index cannot follow (a full disk); the row's file
    state then no longer matches the file, so a reconciliation (`cora reindex`, or a start
    that does not trust the index) re-reads it."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        logger.warning("index not updated after a durable write of %s (%s)", path, error)


def _storage_error(error: OSError, session_id: str) -> Exception:
    """The error `_storage_errors` raises for `error`."""
    try:
        with _storage_errors(session_id):
            raise error
    except Exception as translated:
        return translated
    raise AssertionError("unreachable")


@contextmanager
def _storage_errors(session_id: str | None = None) -> Iterator[None]:
    """Translate OS and SQLite failures into Cora's storage errors at this back end's edge."""
    try:
        yield
    except FileNotFoundError as error:
        if session_id is None:
            raise StorageUnavailable() from error
        raise SessionNotFound(session_id) from error
    except OSError as error:
        if error.errno in FULL_DISK_ERRNOS:
            logger.error("storage full: %s", error)
            raise StorageFull() from error
        logger.error("storage error: %s", error)
        raise StorageUnavailable() from error
    except sqlite3.Error as error:
        logger.error("session index error: %s", error)
        raise StorageUnavailable() from error


async def _in_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking operation on the store's threads. Handed straight to an executor: anyio's
    `to_thread` (a limiter, a cancel scope and its context look-ups per call) cost a sixth of the
    event loop's time per append. As with it, a caller cancelled meanwhile sees the cancellation
    only once the operation has ended: a write under way is finished, never abandoned."""
    named = function.func if isinstance(function, partial) else function
    with measure_store("json", getattr(named, "__name__", "operation").lstrip("_")):
        return await _run_in_thread(partial(function, *args, **kwargs))


async def _run_in_thread(call: Callable[[], T]) -> T:
    running = asyncio.get_running_loop().run_in_executor(_store_threads(), call)
    return await through_cancellation(running)


@cache
def _store_threads() -> ThreadPoolExecutor:
    """The threads of this process's JSON stores (as many as anyio's default limit)."""
    return ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="cora-json-store")


def _log_report(what: str, directory: Path, report: ReindexReport) -> None:
    logger.info(
        "%s: %s (%d files, %d reindexed, %d removed, %d unreadable)",
        what,
        directory,
        report.files,
        report.reindexed,
        report.removed,
        report.unreadable,
    )
