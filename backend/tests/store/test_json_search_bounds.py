"""A JSON search stops between two files when its time budget is spent (answering what it found
and a cursor to go on) or as soon as its caller is gone."""

import asyncio
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from cora.domain import MessageRecord, SessionSummaryRecord
from cora.snippets import match_snippet
from cora.store.base import SearchHit
from cora.store.json_files import JsonFileStore
from cora.store.json_files.scan import WHOLE_DOCUMENT_BYTES
from cora.timeutil import utc_now
from tests.factories import new_message, new_session

WAIT_SECONDS = 30


async def fill(store: JsonFileStore, count: int) -> None:
    records = [
        new_session(messages=(new_message("a claim" if number % 3 == 0 else "hello"),))
        for number in range(count)
    ]
    await store.create_sessions(sessions=records)


async def test_a_search_out_of_time_answers_a_cursor_that_goes_on(tmp_path: Path) -> None:
    store = JsonFileStore(tmp_path)
    await store.open()
    try:
        await fill(store, 30)
        whole = await store.search_sessions(user_id="alice", text="claim", tag=None, limit=50)
        assert len(whole.hits) == 10 and whole.next_position is None

        store.search_seconds = -1  # out of time after every file
        found: list[str] = []
        after, calls = None, 0
        while True:
            page = await store.search_sessions(
                user_id="alice", text="claim", tag=None, limit=4, after=after
            )
            calls += 1
            found += [hit.summary.session_id for hit in page.hits]
            if page.next_position is None:
                break
            after = page.next_position
        assert found == [hit.summary.session_id for hit in whole.hits]
        assert calls >= 30  # one file a call
    finally:
        await store.close()


class BlockingStore(JsonFileStore):
    """Holds the first file's search until the test lets it go; counts the files searched."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.entered, self.release, self.finished = (threading.Event() for _ in range(3))
        self.files = 0

    def _search_one(
        self, summary: SessionSummaryRecord, text: str | None, tag: str | None
    ) -> SearchHit | None:
        self.files += 1
        self.entered.set()
        self.release.wait(WAIT_SECONDS)
        return super()._search_one(summary, text, tag)

    def _search(self, **arguments: Any) -> Any:
        try:
            return super()._search(**arguments)
        finally:
            self.finished.set()


async def test_a_search_whose_caller_is_gone_stops(tmp_path: Path) -> None:
    store = BlockingStore(tmp_path)
    await store.open()
    try:
        await fill(store, 20)
        search = asyncio.create_task(
            store.search_sessions(user_id="alice", text="claim", tag=None, limit=50)
        )
        assert await asyncio.to_thread(store.entered.wait, WAIT_SECONDS)
        search.cancel()
        with pytest.raises(asyncio.CancelledError):
            await search  # at once, while the thread is still in its first file
        assert not store.finished.is_set()
        store.release.set()
        assert await asyncio.to_thread(store.finished.wait, WAIT_SECONDS)
        assert store.files == 1
    finally:
        store.release.set()
        await store.close()


async def test_a_large_session_is_searched_like_a_small_one(tmp_path: Path) -> None:
    """Over 64 KiB a file is searched line by line; the hits and snippets are the same."""
    store = JsonFileStore(tmp_path)
    await store.open()
    try:
        for count in (3, 400):  # a small file, then one of ~150 KB
            messages = tuple(
                MessageRecord(
                    id=str(uuid.uuid4()),
                    sender="user",
                    text=f"line {i} " + ('say "Ünïcode" here' if i == count - 2 else "x" * 300),
                    timestamp=utc_now(),
                    metadata={"note": "metaword"},
                )
                for i in range(count)
            )
            record = new_session(user_id=f"user-{count}", messages=messages)
            await store.create_session(session=record)
            path = tmp_path / "sessions" / f"user-{count}_{record.session_id}.json"
            assert (path.stat().st_size > WHOLE_DOCUMENT_BYTES) == (count == 400)
            for query, snippet in (
                ('"ünïcode"', match_snippet(messages[-2].text, '"ünïcode"')),
                ("ÜNÏCODE", match_snippet(messages[-2].text, "ÜNÏCODE")),
                ("metaword", None),  # in the metadata only: no hit
            ):
                page = await store.search_sessions(
                    user_id=f"user-{count}", text=query, tag=None, limit=5
                )
                assert [hit.match for hit in page.hits] == (
                    [snippet] if query != "metaword" else []
                )
    finally:
        await store.close()
