"""The hot routes' orjson encoding gives exactly the JSON the API models give."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import orjson

from cora.encoding import dumps, message_content, session_content, summary_content
from cora.schemas import MessagePublic, SessionPublic, SessionSummary
from cora.timeutil import StoredTime, format_timestamp, parse_timestamp
from tests.factories import new_message, new_session

STORED = "2026-03-01T10:00:00.000000Z"


def times() -> list[datetime]:
    return [
        parse_timestamp(STORED),  # read from storage: keeps its text
        parse_timestamp(STORED) + timedelta(microseconds=1),  # derived: formatted again
        datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),  # another zone
        datetime(5, 1, 1, tzinfo=UTC),  # a small year
    ]


def test_stored_times_keep_their_text_and_derived_ones_are_formatted() -> None:
    stored = parse_timestamp(STORED)
    assert isinstance(stored, StoredTime)
    assert format_timestamp(stored) == STORED
    assert format_timestamp(stored + timedelta(microseconds=1)) == "2026-03-01T10:00:00.000001Z"
    assert format_timestamp(datetime(5, 1, 1, tzinfo=UTC)) == "0005-01-01T00:00:00.000000Z"
    offset = parse_timestamp("2026-03-01T12:00:00+02:00")
    assert not isinstance(offset, StoredTime)
    assert format_timestamp(offset) == STORED


def test_messages_encode_as_the_model_does() -> None:
    for moment in times():
        record = replace(new_message("a\nb \u00e9 \U0001f600"), timestamp=moment)
        expected = MessagePublic.from_record(record).model_dump_json().encode()
        assert dumps(message_content(record)) == expected


def test_summaries_and_sessions_encode_as_the_models_do() -> None:
    for moment in times():
        session = new_session(
            title="Claim", tags=("car", "glass"), messages=(new_message(), new_message("x"))
        )
        session = replace(
            session, summary=replace(session.summary, created_at=moment, updated_at=moment)
        )
        summary = SessionSummary.from_record(session.summary).model_dump_json().encode()
        assert dumps(summary_content(session.summary)) == summary
        whole = SessionPublic.from_session(session).model_dump_json().encode()
        assert dumps(session_content(session)) == whole


def test_untitled_session_without_tags() -> None:
    session = new_session()
    body = orjson.loads(dumps(session_content(session)))
    assert body["title"] is None
    assert body["tags"] == []
    assert body["messages"] == []
