"""The JSON store's index takes many appends' updates in one transaction (`update_tails`):
each append gets its own session's row as it stands after that append."""

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from cora.store.json_files.document import Trailer
from cora.store.json_files.index import UPDATES_PER_STATEMENT, FileState, SessionIndex
from tests.factories import new_session


@pytest.fixture
def index(tmp_path: Path) -> SessionIndex:
    index = SessionIndex(tmp_path / "index.sqlite3")
    index.create_schema()
    yield index
    index.close()


def indexed(index: SessionIndex, count: int, **fields: object) -> list[str]:
    sessions = [new_session(tags=("claims",)).summary for _ in range(count)]
    sessions = [replace(summary, **fields) for summary in sessions]
    index.upsert((summary, FileState(size=10, mtime_ns=1)) for summary in sessions)
    return [summary.session_id for summary in sessions]


def appended(
    session_id: str, count: int, title: str | None = None
) -> tuple[str, Trailer, FileState]:
    when = new_session().summary.created_at + timedelta(seconds=count)
    return session_id, Trailer(title, when, count), FileState(size=100 + count, mtime_ns=count)


def test_each_append_gets_its_own_sessions_row_and_none_for_a_session_not_indexed(
    index: SessionIndex,
) -> None:
    first, second = indexed(index, 2, pinned=True)
    updates = [appended(first, 3, "Hail"), appended("not-indexed", 4), appended(second, 5)]

    summaries = index.update_tails(updates)

    assert [s and (s.session_id, s.title, s.message_count) for s in summaries] == [
        (first, "Hail", 3),
        None,
        (second, None, 5),
    ]
    assert summaries[0] is not None
    assert summaries[0].updated_at == updates[0][1].updated_at
    assert (summaries[0].tags, summaries[0].metadata, summaries[0].pinned) == (
        ("claims",),
        {"channel": "web"},
        True,
    )
    assert index.acknowledged(first).state == FileState(size=103, mtime_ns=3)
    assert index.written_here(second) == FileState(size=105, mtime_ns=5)


def test_two_appends_to_one_session_in_one_batch_each_get_the_row_after_their_own(
    index: SessionIndex,
) -> None:
    (session_id,) = indexed(index, 1)

    summaries = index.update_tails([appended(session_id, 1), appended(session_id, 2)])

    assert [s and s.message_count for s in summaries] == [1, 2]
    assert index.acknowledged(session_id).message_count == 2


def test_a_batch_larger_than_one_statement_takes_is_written_whole(index: SessionIndex) -> None:
    session_ids = indexed(index, UPDATES_PER_STATEMENT + 3)

    summaries = index.update_tails([appended(sid, 7) for sid in session_ids])

    assert [s and (s.session_id, s.message_count) for s in summaries] == [
        (sid, 7) for sid in session_ids
    ]
