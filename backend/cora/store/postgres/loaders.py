"""How rows' uuids and times are read: as the text the API writes, not as objects to format.

Records read here are mostly written back out as JSON (an export, a search page, a chat's
history); reading ids and times as `UUID` and `datetime` objects and formatting them again was a
quarter of a list's CPU. The list, a page of messages and a session skip records altogether:
PostgreSQL writes their JSON (`queries.py`, the `*_JSON` reads).
"""

from datetime import datetime

from psycopg.abc import Buffer
from psycopg.adapt import AdaptersMap
from psycopg.types.datetime import TimestamptzLoader
from psycopg.types.string import TextLoader

from cora.timeutil import UTC, StoredTime

# PostgreSQL's text for a timestamptz in time zone UTC: "2026-12-06 02:28:08.71174+00" (the
# fraction without its trailing zeros, and none at all on a whole second).
_SHORTEST, _LONGEST = len("2026-12-06 02:28:08+00"), len("2026-12-06 02:28:08.711743+00")
_SPACE = ord(" ")


class StoredTimeLoader(TimestamptzLoader):
    """A timestamptz as a `StoredTime` that keeps its canonical text (UTC, six fraction digits);
    any other form (another zone, a year past 9999) as an ordinary UTC `datetime`."""

    def load(self, data: Buffer) -> datetime:
        raw = bytes(data)
        if _SHORTEST <= len(raw) <= _LONGEST and raw[10] == _SPACE and raw.endswith(b"+00"):
            text = raw.decode()
            canonical = f"{text[:10]}T{text[11:19]}.{text[20:-3]:0<6}Z"  # [20:-3]: the fraction
            moment = StoredTime.fromisoformat(canonical)
            moment.text = canonical
            return moment
        return super().load(data).astimezone(UTC)


def register_loaders(adapters: AdaptersMap) -> None:
    """On a connection whose session time zone is UTC (`session_settings`)."""
    adapters.register_loader("uuid", TextLoader)
    adapters.register_loader("timestamptz", StoredTimeLoader)
