"""How rows' uuids and times are read: as the text the API writes, not as objects to format.

A list or a page of messages writes every session id and time back out as text; reading them as
`UUID` and `datetime` objects and formatting them again was a quarter of a list's CPU.
"""

from datetime import datetime

from psycopg.abc import Buffer
from psycopg.adapt import AdaptersMap
from psycopg.types.datetime import TimestamptzLoader
from psycopg.types.string import TextLoader

from cora.timeutil import UTC, parse_timestamp

# PostgreSQL's text for a timestamptz in time zone UTC: "2026-12-06 02:28:08.711743+00".
_UTC_TEXT_LENGTH = len("2026-12-06 02:28:08.711743+00")


class StoredTimeLoader(TimestamptzLoader):
    """A timestamptz as a `StoredTime` that keeps its canonical text (whole microseconds, UTC);
    any other form (no fraction, another zone) as an ordinary UTC `datetime`."""

    def load(self, data: Buffer) -> datetime:
        raw = bytes(data)
        if len(raw) == _UTC_TEXT_LENGTH and raw[10:11] == b" " and raw.endswith(b"+00"):
            text = raw.decode()
            return parse_timestamp(f"{text[:10]}T{text[11:26]}Z")
        return super().load(data).astimezone(UTC)


def register_loaders(adapters: AdaptersMap) -> None:
    """On a connection whose session time zone is UTC (`session_settings`)."""
    adapters.register_loader("uuid", TextLoader)
    adapters.register_loader("timestamptz", StoredTimeLoader)
