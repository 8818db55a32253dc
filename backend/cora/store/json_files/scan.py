"""Reading parts of a session file without parsing all of it: the last lines, and text search."""

import time

import orjson

from cora.domain import MessageRecord
from cora.snippets import match_snippet
from cora.store.json_files.document import DocumentError, decode_document, decode_message_line
from cora.store.json_files.locking import read_at

CHUNK_BYTES = 65536
WHOLE_DOCUMENT_BYTES = 65536  # a larger document is searched line by line
PAUSE_EVERY_LINES = 200
PAUSE_SECONDS = 0.0005
MESSAGE_LINE_STARTS = (b'{"id":"', b',{"id":"')
# Characters JSON writes escaped: a query holding one cannot be found in the raw bytes.
ESCAPED_IN_JSON = frozenset('"\\') | frozenset(chr(code) for code in range(0x20))


def message_lines_before(fd: int, end: int, count: int) -> list[bytes]:
    """Up to `count` message lines ending at line boundary `end`, in file order."""
    start, data = end, b""
    while start > 0 and data.count(b"\n") <= count:
        chunk_start = max(0, start - CHUNK_BYTES)
        data = read_at(fd, start - chunk_start, chunk_start) + data
        start = chunk_start
    lines = data.split(b"\n")[:-1]
    if start > 0:
        lines = lines[1:]
    return [line for line in lines if line.startswith(MESSAGE_LINE_STARTS)][-count:]


def _may_contain(data: bytes, query: str) -> bool:
    """A quick test on the raw document: False only when no message text can match."""
    if query.isascii():
        return query.lower().encode() in data.lower()
    return query.casefold() in data.decode().casefold()


def decode_lines(lines: list[bytes]) -> list[MessageRecord]:
    return [decode_message_line(line, first=not line.startswith(b",")) for line in lines]


def search_document(data: bytes, query: str) -> tuple[bool, str | None]:
    """Whether a message text matches `query` (any case), and a snippet of the first that does."""
    raw_test = not (set(query) & ESCAPED_IN_JSON)
    if raw_test and not _may_contain(data, query):
        return False, None
    if len(data) > WHOLE_DOCUMENT_BYTES:
        return _search_lines(data, query, raw_test=raw_test)
    try:
        record = decode_document(data)
    except DocumentError:
        return False, None
    for message in record.messages:
        snippet = match_snippet(message.text, query)
        if snippet is not None:
            return True, snippet
    return False, None


def _search_lines(data: bytes, query: str, *, raw_test: bool) -> tuple[bool, str | None]:
    """A large document searched line by line: only message lines whose bytes may hold the
    query are parsed (their text alone), and the thread pauses after every few of them, so that
    a search of a very large session leaves the interpreter to the other requests in turn."""
    needle = query.lower().encode() if query.isascii() else None
    folded = query.casefold()
    parsed = 0
    for line in data.split(b"\n")[1:]:
        if not line.startswith(MESSAGE_LINE_STARTS):
            continue
        if raw_test and (
            folded not in line.decode(errors="replace").casefold()
            if needle is None
            else needle not in line.lower()
        ):
            continue
        try:
            text = orjson.loads(line.removeprefix(b","))["text"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return False, None  # not a document in Cora's layout: as when it does not decode
        snippet = match_snippet(text, query) if isinstance(text, str) else None
        if snippet is not None:
            return True, snippet
        parsed += 1
        if parsed % PAUSE_EVERY_LINES == 0:
            time.sleep(PAUSE_SECONDS)
    return False, None
