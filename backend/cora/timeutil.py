"""Timestamps: always timezone-aware UTC, written as RFC 3339 with microseconds and a `Z`."""

from datetime import UTC, datetime, timedelta

ONE_MICROSECOND = timedelta(microseconds=1)


def utc_now() -> datetime:
    """Now, with its canonical text: a new message's or update's time is written out several
    times (its file line, the answer, the live event, the index row)."""
    moment = StoredTime.now(UTC)
    moment.text = _canonical_text(moment)
    return moment


class StoredTime(datetime):
    """A time with its canonical text (read from it, or made with it), which it keeps so that
    writing it out is free.

    Still a `datetime` to every caller; a time derived from it (arithmetic, `replace`) is a new
    object without the text and is formatted as usual.
    """

    __slots__ = ("text",)
    text: str


def format_timestamp(moment: datetime) -> str:
    text: str | None = getattr(moment, "text", None)
    if text is not None:
        return text
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return _canonical_text(moment)


def _canonical_text(moment: datetime) -> str:
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (  # noqa: UP031 (twice as fast as isoformat)
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
    )


def parse_timestamp(text: str) -> datetime:
    if is_canonical(text):
        moment = StoredTime.fromisoformat(text)
        moment.text = text
        return moment
    return datetime.fromisoformat(text).astimezone(UTC)


def is_canonical(text: str) -> bool:
    """Written by `format_timestamp`: `YYYY-MM-DDTHH:MM:SS.ffffffZ`."""
    return len(text) == 27 and text[10] == "T" and text[19] == "." and text[26] == "Z"


def next_update_time(previous: datetime) -> datetime:
    """Now, or just after `previous` when the clock has not moved past it: updates stay ordered."""
    return max(utc_now(), previous + ONE_MICROSECOND)


__all__ = [
    "UTC",
    "StoredTime",
    "format_timestamp",
    "is_canonical",
    "next_update_time",
    "parse_timestamp",
    "utc_now",
]
