"""An import document read as a stream: one session or conversation in memory at a time.

`scan` checks the whole document once (JSON syntax, format, version, how many items) without
building it; `items` then yields its sessions (or ChatGPT conversations) one by one, as often as
the import needs to read them. Memory stays near the body's size whatever the document holds.
"""

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import ijson

from cora.errors import InvalidImport
from cora.services.archive import ARCHIVE_FORMAT, ARCHIVE_VERSION
from cora.services.drafts import describe

NEITHER_FORMAT = (
    f'The document is neither a {ARCHIVE_FORMAT} export (an object with "format":'
    f' "{ARCHIVE_FORMAT}") nor a ChatGPT conversations.json (a list of conversations)'
)
# A `\uD800`-`\uDFFF` escape. The C parser turns an unpaired one into "?" where the JSON standard
# library refuses it, so pairs are checked before parsing.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_BACKSLASH = ord("\\")
_WATCHED_PREFIXES = frozenset({"", "format", "version", "sessions", "item", "sessions.item"})
_ITEM_VALUE_EVENTS = frozenset({"start_map", "start_array", "string", "number", "boolean", "null"})

Kind = Literal["archive", "chatgpt"]


@dataclass(frozen=True, slots=True)
class DocumentShape:
    kind: Kind
    count: int

    @property
    def item_prefix(self) -> str:
        return "sessions.item" if self.kind == "archive" else "item"


def scan(data: bytes) -> DocumentShape:
    """The document's format and number of items; `InvalidImport` saying what is wrong."""
    _refuse_unpaired_surrogates(data)
    top: dict[str, list[Any]] = {}
    kind: Kind | None = None
    count = 0
    with _json_errors():
        for prefix, event, value in ijson.parse(io.BytesIO(data), use_float=True):
            if prefix not in _WATCHED_PREFIXES:
                continue
            if prefix == "" and kind is None:
                kind = _top_level_kind(event)
            elif prefix == "" and event == "map_key":
                top.setdefault(value, []).append(None)
            elif prefix in ("format", "version") and event in _ITEM_VALUE_EVENTS:
                top[prefix][-1] = value if event not in ("start_map", "start_array") else event
            elif prefix == "sessions" and event in _ITEM_VALUE_EVENTS:
                top["sessions"][-1] = event
            elif prefix in ("item", "sessions.item") and event in _ITEM_VALUE_EVENTS:
                count += 1
    if kind is None:
        raise InvalidImport("The document is not valid JSON: it is empty")
    if kind == "archive":
        _check_archive_header(top)
    return DocumentShape(kind, count)


def items(data: bytes, shape: DocumentShape) -> Iterator[Any]:
    """The document's sessions (or conversations) as plain JSON values, in order."""
    yield from ijson.items(io.BytesIO(data), shape.item_prefix, use_float=True)


def _top_level_kind(event: str) -> Kind:
    if event == "start_map":
        return "archive"
    if event == "start_array":
        return "chatgpt"
    raise InvalidImport(NEITHER_FORMAT)


def _check_archive_header(top: dict[str, list[Any]]) -> None:
    for key in ("format", "version", "sessions"):
        if len(top.get(key, ())) > 1:
            raise InvalidImport(f"`{key}` appears more than once in the document")
    if top.get("format") != [ARCHIVE_FORMAT]:
        raise InvalidImport(NEITHER_FORMAT)
    version = top.get("version", [None])[0]
    if type(version) is not int or version != ARCHIVE_VERSION:
        raise InvalidImport(
            f"version {describe(version)} of {ARCHIVE_FORMAT} is not one this server reads"
            f" (it reads version {ARCHIVE_VERSION})"
        )
    if top.get("sessions") != ["start_array"]:
        raise InvalidImport(f"`sessions` of a {ARCHIVE_FORMAT} document must be a list")


def _refuse_unpaired_surrogates(data: bytes) -> None:
    expected_low_at: int | None = None
    for match in _SURROGATE_ESCAPE.finditer(data):
        start, end = match.span()
        if _escaped(data, start):  # `\\ud83d` is a backslash and text, not an escape
            continue
        is_high = match.group()[3:4] in b"89abAB"
        if expected_low_at is not None and (start != expected_low_at or is_high):
            _unpaired()
        if expected_low_at is None and not is_high:
            _unpaired()
        expected_low_at = end if is_high else None
    if expected_low_at is not None:
        _unpaired()


def _escaped(data: bytes, position: int) -> bool:
    """Whether the backslash at `position` is escaped by an odd run of backslashes before it."""
    before = position
    while before > 0 and data[before - 1] == _BACKSLASH:
        before -= 1
    return (position - before) % 2 == 1


def _unpaired() -> None:
    raise InvalidImport("The document is not valid JSON: it holds an unpaired surrogate escape")


@contextmanager
def _json_errors() -> Iterator[None]:
    """`InvalidImport` for what the parser refuses, with the first line of its reason."""
    try:
        yield
    except (ijson.JSONError, UnicodeDecodeError) as error:
        reason = error.args[0] if error.args else "unreadable"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        first_line = str(reason).strip().splitlines()[0] if str(reason).strip() else "unreadable"
        raise InvalidImport(f"The document is not valid JSON: {first_line}") from None
