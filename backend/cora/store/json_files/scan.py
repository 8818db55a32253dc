"""Reading parts of a session file without parsing all of it: the last lines, and text search."""

from cora.domain import MessageRecord
from cora.snippets import match_snippet
from cora.store.json_files.document import DocumentError, decode_document, decode_message_line
from cora.store.json_files.locking import read_at

CHUNK_BYTES = 65536
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
    if not (set(query) & ESCAPED_IN_JSON) and not _may_contain(data, query):
        return False, None
    try:
        record = decode_document(data)
    except DocumentError:
        return False, None
    for message in record.messages:
        snippet = match_snippet(message.text, query)
        if snippet is not None:
            return True, snippet
    return False, None
