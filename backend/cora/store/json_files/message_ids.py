"""Per-process memory of which message ids a session file holds, and where.

An idempotent append must know whether its id is already stored without reading the whole file.
Entries are checked against the file on every use: lines appended since (by any process) are
read incrementally; a file replaced by a rewrite (new inode), or whose last line was rewritten
in place past where the entry stopped (a streaming reply), is read again from the start.
Callers hold the session's exclusive lock, so one entry is never updated by two threads at once.

A session not in memory is not read line by line for one lookup (13 ms at 10,000 messages): the
file's bytes are searched for the id's line start instead (`find_line`), and only a session looked
up again while still among the `capacity` last seen gets a full entry.
"""

import mmap
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from cora.store.json_files.document import MESSAGE_ID_PREFIX, message_id_at
from cora.store.json_files.locking import read_at


@dataclass(slots=True)
class _Entry:
    inode: int
    scanned_to: int
    offsets: dict[str, int] = field(default_factory=dict)


UNKNOWN = object()
CATCH_UP_BYTES = 65536  # what `cached_lookup` reads at most: another process's latest appends


class MessageIdCache:
    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._seen_capacity = capacity
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def lookup(
        self, key: str, message_id: str, *, fd: int, inode: int, messages_end: int
    ) -> int | None:
        """Offset of the line of `message_id`, if stored; a session first seen is searched
        without building its entry, so sessions touched once each cost no full read."""
        with self._lock:
            known = key in self._entries or key in self._seen
            if not known:
                self._seen[key] = None
                while len(self._seen) > self._seen_capacity:
                    self._seen.popitem(last=False)
        if not known:
            return find_line(fd, message_id, messages_end)
        return self.offsets(key, fd=fd, inode=inode, messages_end=messages_end).get(message_id)

    def cached_lookup(
        self, key: str, message_id: str, *, fd: int, inode: int, messages_end: int
    ) -> int | object | None:
        """As `lookup`, reading no more than the lines appended since this cache last saw the
        file, up to `CATCH_UP_BYTES`: `UNKNOWN` when answering would mean reading more."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.scanned_to == messages_end and entry.inode == inode:
                self._entries.move_to_end(key)
                return entry.offsets.get(message_id)
        if entry is None or entry.inode != inode:
            return UNKNOWN
        behind = messages_end - entry.scanned_to
        if not 0 < behind <= CATCH_UP_BYTES or not _still_a_line_end(fd, entry, messages_end):
            return UNKNOWN
        return self.offsets(key, fd=fd, inode=inode, messages_end=messages_end).get(message_id)

    def offsets(self, key: str, *, fd: int, inode: int, messages_end: int) -> dict[str, int]:
        """Message id -> offset of its line, for the file open as `fd`, up to `messages_end`."""
        with self._lock:
            entry = self._entries.pop(key, None)
        if entry is None or entry.inode != inode or not _still_a_line_end(fd, entry, messages_end):
            entry = _Entry(inode=inode, scanned_to=_header_end(fd))
        if entry.scanned_to < messages_end:
            _scan(entry, read_at(fd, messages_end - entry.scanned_to, entry.scanned_to))
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        return entry.offsets

    def record(self, key: str, *, message_id: str, offset: int, messages_end: int) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.scanned_to == offset:
                entry.offsets[message_id] = offset
                entry.scanned_to = messages_end

    def resized_last(self, key: str, *, offset: int, old_end: int, messages_end: int) -> None:
        """The last message line, at `offset`, was rewritten in place and now ends elsewhere."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.scanned_to == old_end and offset < old_end:
                entry.scanned_to = messages_end

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._seen.pop(key, None)


def find_line(fd: int, message_id: str, messages_end: int) -> int | None:
    """Offset of the message line holding `message_id`, searching the file's first
    `messages_end` bytes. A line starts `{"id":"` or `,{"id":"` after a newline; JSON escapes
    quotes and newlines inside strings, so only a nested object's "id" could match elsewhere."""
    if messages_end == 0:
        return None
    needle = MESSAGE_ID_PREFIX + message_id.encode("ascii") + b'"'
    with mmap.mmap(fd, messages_end, prot=mmap.PROT_READ) as data:
        position = data.find(needle, 0, messages_end)
        while position != -1:
            start = position - 1 if position > 0 and data[position - 1] == ord(",") else position
            if start > 0 and data[start - 1] == ord("\n"):
                return start
            position = data.find(needle, position + 1, messages_end)
    return None


def _still_a_line_end(fd: int, entry: _Entry, messages_end: int) -> bool:
    """Whether the entry still ends at a line end: a streaming reply's line, the last one, is
    rewritten in place (by any process) and may have grown past where this entry stopped."""
    if entry.scanned_to > messages_end:
        return False
    return not entry.offsets or read_at(fd, 1, entry.scanned_to - 1) == b"\n"


def _scan(entry: _Entry, lines: bytes) -> None:
    position = 0
    while (line_end := lines.find(b"\n", position)) != -1:
        entry.offsets[message_id_at(lines[position:line_end])] = entry.scanned_to + position
        position = line_end + 1
    entry.scanned_to += position


def _header_end(fd: int) -> int:
    offset, chunk_size = 0, 65536
    while chunk := read_at(fd, chunk_size, offset):
        newline = chunk.find(b"\n")
        if newline != -1:
            return offset + newline + 1
        offset += len(chunk)
    return offset
