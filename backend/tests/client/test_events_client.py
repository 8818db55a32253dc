"""`iter_events` (3.8) in both clients, against a real server: typed events, the end of a
session's stream, and a resume with `Last-Event-ID` after the connection was cut."""

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from cora.client import (
    CoraClient,
    LiveUpdate,
    MessageChanged,
    NotFound,
    Reset,
    RetryPolicy,
    SessionChanged,
    SessionDeleted,
)
from tests.client.conftest import Account
from tests.events.sse import WAIT
from tests.system.tcp_proxy import running_proxy

UNKNOWN = "00000000-0000-4000-8000-000000000000"
PATIENT = RetryPolicy(attempts=200, backoff=0.05, max_backoff=0.2)  # ~40 s of reconnects


class Collector:
    """Iterates in a thread; `updates` fill in as they arrive."""

    def __init__(self, updates: Iterator[LiveUpdate]) -> None:
        self.updates: list[LiveUpdate] = []
        self.done = threading.Event()
        self.error: BaseException | None = None
        self._iterator = updates
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            for update in self._iterator:
                self.updates.append(update)
        except BaseException as error:
            self.error = error
        finally:
            self.done.set()

    def wait_until(self, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            self.done.wait(0.01)

    def wait_for(self, count: int, timeout: float = WAIT) -> list[LiveUpdate]:
        deadline = time.monotonic() + timeout
        while len(self.updates) < count:
            assert time.monotonic() < deadline, f"got {self.updates}, error {self.error}"
            self.done.wait(0.01)
        return list(self.updates)


def first_connection(collector: Collector, cora: CoraClient, user_id: str) -> str:
    """Make sessions until the stream shows one (the stream is then surely open): a session
    made before the server registered the subscription is never sent (3.8, "from now").
    Leaves that one's event alone in `collector.updates` and returns its session id."""
    created: list[str] = []
    deadline = time.monotonic() + WAIT
    while not collector.updates:
        assert time.monotonic() < deadline and collector.error is None, collector.error
        created.append(cora.create_session(user_id).session_id)
        collector.wait_until(lambda: bool(collector.updates), timeout=0.5)
    first = collector.updates[0]
    assert isinstance(first, SessionChanged)
    seen = first.session.session_id
    made_after = created[created.index(seen) + 1 :]  # their events follow, in order
    collector.wait_for(1 + len(made_after))
    del collector.updates[1:]
    return seen


def test_the_list_stream_yields_typed_events(account: Account) -> None:
    with account.client() as cora:
        collector = Collector(cora.iter_events(account.user_id))
        session_id = first_connection(collector, cora, account.user_id)
        cora.patch_session(account.user_id, session_id, title="Home")
        cora.delete_session(account.user_id, session_id)
        created, renamed, deleted = collector.wait_for(3)
    assert isinstance(created, SessionChanged) and created.session.session_id == session_id
    assert isinstance(renamed, SessionChanged) and renamed.session.title == "Home"
    assert isinstance(deleted, SessionDeleted) and deleted.session_id == session_id
    assert len({created.id, renamed.id, deleted.id}) == 3
    assert not collector.done.is_set()  # the list's stream goes on after a deletion


async def test_a_session_stream_ends_with_its_deletion(account: Account) -> None:
    async with account.async_client() as cora:
        session_id = (await cora.create_session(account.user_id)).session_id
        updates: list[LiveUpdate] = []

        async def follow() -> None:
            async for update in cora.iter_events(account.user_id, session_id):
                updates.append(update)

        following = asyncio.create_task(follow())
        while not updates:  # a rename until the stream is surely open
            await cora.patch_session(account.user_id, session_id, title="Car")
            await asyncio.sleep(0.05)
        sent = await cora.append_message(account.user_id, session_id, "user", "Is glass covered?")
        await cora.delete_session(account.user_id, session_id)
        async with asyncio.timeout(WAIT):
            await following
    kinds = [type(update) for update in updates]
    assert kinds[-3:] == [MessageChanged, SessionChanged, SessionDeleted]
    message = updates[-3]
    assert isinstance(message, MessageChanged) and message.message == sent


async def test_an_unknown_session_is_not_found(account: Account) -> None:
    async with account.async_client() as cora:
        with pytest.raises(NotFound):
            async for _ in cora.iter_events(account.user_id, UNKNOWN):
                pass


def test_a_cut_connection_is_opened_again_and_nothing_is_missed(account: Account) -> None:
    address = urlsplit(account.server.url)
    with (
        running_proxy(address.hostname or "127.0.0.1", address.port or 80) as proxy,
        account.client() as direct,
        account.client(f"http://127.0.0.1:{proxy.port}", retry=PATIENT) as through_proxy,
    ):
        collector = Collector(through_proxy.iter_events(account.user_id))
        session_id = first_connection(collector, direct, account.user_id)
        proxy.cut()
        titles = [f"while cut {n}" for n in range(3)]
        for title in titles:
            direct.patch_session(account.user_id, session_id, title=title)
        proxy.restore()
        updates = collector.wait_for(4, timeout=60)
    assert collector.error is None
    missed = [u.session.title for u in updates[1:] if isinstance(u, SessionChanged)]
    assert missed == titles
    assert not any(isinstance(u, Reset) for u in updates)


def test_last_event_id_resumes_after_an_event_seen_earlier(account: Account) -> None:
    with account.client() as cora:
        collector = Collector(cora.iter_events(account.user_id))
        session_id = first_connection(collector, cora, account.user_id)
        seen = collector.updates[0].id
        cora.patch_session(account.user_id, session_id, title="Later")
        collector.wait_for(2)
        resumed = Collector(cora.iter_events(account.user_id, last_event_id=seen))
        [renamed] = resumed.wait_for(1)
    assert isinstance(renamed, SessionChanged) and renamed.session.title == "Later"
    assert renamed.id == collector.updates[1].id
