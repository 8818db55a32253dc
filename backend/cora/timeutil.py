"""Timestamps: always timezone-aware UTC, written as RFC 3339 with microseconds and a `Z`."""

from datetime import UTC, datetime, timedelta

ONE_MICROSECOND = timedelta(microseconds=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def next_update_time(previous: datetime) -> datetime:
    """Now, or just after `previous` when the clock has not moved past it: updates stay ordered."""
    return max(utc_now(), previous + ONE_MICROSECOND)


__all__ = ["UTC", "format_timestamp", "next_update_time", "parse_timestamp", "utc_now"]
