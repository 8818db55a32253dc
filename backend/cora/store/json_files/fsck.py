"""`cora fsck`: find session files that are damaged (not a torn last line), and optionally
salvage them (contract 6).

A file is fine when it parses whole; torn when only its last line is incomplete and, by what
the index knows of its last acknowledged write, it is not shorter and would lose no acknowledged
message (the server repairs that itself); damaged otherwise. Salvaging a damaged file keeps
the original, under its exclusive lock, as `<name>.damaged-<time>` (a hard link, so the bytes
are the same), then writes in its place a session of the header and every message line that
can still be read.
"""

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cora.domain import MessageRecord, SessionRecord, effective_title
from cora.store.json_files.document import (
    DocumentError,
    Header,
    Trailer,
    decode_document,
    decode_header_line,
    decode_message_line,
    encode_document,
    plan_repair,
    summarize,
)
from cora.store.json_files.locking import (
    fsync_directory,
    locked_file,
    read_all,
    write_new_file,
)
from cora.timeutil import utc_now

Condition = Literal["fine", "torn", "damaged"]


@dataclass(frozen=True, slots=True)
class Finding:
    path: Path
    condition: Condition
    salvaged_messages: int | None = None
    kept_as: Path | None = None


# Per session id: the file size and message count of its last acknowledged write.
_Acknowledged = dict[str, tuple[int, int]]


def check_directory(sessions_dir: Path, *, salvage: bool = False) -> Iterator[Finding]:
    """Every session file that is not fine, salvaged as it is found when `salvage`."""
    acknowledged = _acknowledged(sessions_dir.parent / "index.sqlite3")
    for path in sorted(sessions_dir.glob("*.json")):
        try:
            with locked_file(path, exclusive=salvage) as fd:
                data = read_all(fd)
                session_id = path.stem.partition("_")[2]
                condition = condition_of(data, acknowledged.get(session_id))
                if condition == "fine":
                    continue
                if condition == "damaged" and salvage:
                    yield _salvage(path, data)
                    continue
        except FileNotFoundError:
            continue
        yield Finding(path, condition)


def condition_of(data: bytes, acknowledged: tuple[int, int] | None = None) -> Condition:
    """`acknowledged`: the size and message count after the last acknowledged write, if known."""
    try:
        decode_document(data)
        return "fine"
    except DocumentError:
        pass
    try:
        plan = plan_repair(data)
    except DocumentError:
        return "damaged"
    if acknowledged is not None:
        size, message_count = acknowledged
        if len(data) < size or plan.trailer.message_count < message_count:
            return "damaged"  # truncated: the server will not repair it
    return "torn"


def _acknowledged(index_path: Path) -> _Acknowledged:
    """What the index recorded, read without changing it; nothing when there is no index."""
    if not index_path.exists():
        return {}
    try:
        with sqlite3.connect(f"{index_path.as_uri()}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT session_id, file_size, message_count FROM sessions")
            return {str(sid): (int(size), int(count)) for sid, size, count in rows}
    except sqlite3.Error:
        return {}


def _salvage(path: Path, data: bytes) -> Finding:
    header, messages = readable_parts(data)
    kept_as = path.with_name(f"{path.name}.damaged-{utc_now().strftime('%Y%m%dT%H%M%S%fZ')}")
    kept_as.hardlink_to(path)
    if header is None:
        return Finding(path, "damaged", None, kept_as)
    trailer = Trailer(effective_title(header.custom_title, messages), utc_now(), len(messages))
    record = SessionRecord(
        summary=summarize(header, trailer), custom_title=header.custom_title, messages=messages
    )
    write_new_file(path.parent, path.name, encode_document(record))
    fsync_directory(path.parent)
    return Finding(path, "damaged", len(messages), kept_as)


def readable_parts(data: bytes) -> tuple[Header | None, tuple[MessageRecord, ...]]:
    """The header, if it can be read, and every message line that can, in order."""
    lines = data.split(b"\n")
    try:
        header = decode_header_line(lines[0])
    except DocumentError:
        return None, ()
    messages: list[MessageRecord] = []
    for line in lines[1:]:
        for first in (True, False):
            try:
                messages.append(decode_message_line(line, first=first))
                break
            except DocumentError:
                continue
    return header, tuple(messages)
