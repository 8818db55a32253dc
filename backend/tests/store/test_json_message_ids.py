"""Idempotent appends to JSON sessions the process has not cached: the file's bytes are searched."""

import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from cora.errors import MessageIdConflict
from cora.store.json_files import JsonFileStore
from tests.factories import new_message, new_session


async def opened(data_dir: Path) -> JsonFileStore:
    store = JsonFileStore(data_dir)
    await store.open()
    return store


async def test_a_retry_in_a_new_process_finds_the_stored_message(tmp_path: Path) -> None:
    record = new_session()
    store = await opened(tmp_path)
    await store.create_session(session=record)
    target = new_message("the one")
    decoy_id = target.id
    # The id inside another message's metadata and text is not that message's id.
    decoy = replace(new_message(f"about {decoy_id}"), metadata={"nested": {"id": decoy_id}})
    for message in (new_message("a"), decoy, new_message("b")):
        await store.append_message(user_id="alice", session_id=record.session_id, message=message)
    await store.close()

    store = await opened(tmp_path)
    result = await store.append_message(
        user_id="alice", session_id=record.session_id, message=target
    )
    assert result.created
    await store.close()

    for retry in range(2):
        store = await opened(tmp_path)
        result = await store.append_message(
            user_id="alice", session_id=record.session_id, message=target
        )
        assert not result.created, retry
        assert result.message.text == "the one"
        with pytest.raises(MessageIdConflict):
            await store.append_message(
                user_id="alice",
                session_id=record.session_id,
                message=replace(target, text="another text"),
            )
        page = await store.list_messages(
            user_id="alice", session_id=record.session_id, limit=10, before=None
        )
        assert [m.text for m in page.messages] == ["a", f"about {decoy_id}", "b", "the one"]
        await store.close()


async def test_the_first_message_of_a_session_is_found(tmp_path: Path) -> None:
    record = new_session()
    store = await opened(tmp_path)
    await store.create_session(session=record)
    first = new_message("first")
    await store.append_message(user_id="alice", session_id=record.session_id, message=first)
    await store.close()
    store = await opened(tmp_path)
    again = await store.append_message(user_id="alice", session_id=record.session_id, message=first)
    assert not again.created
    unknown = replace(first, id=str(uuid.uuid4()))
    assert (
        await store.append_message(user_id="alice", session_id=record.session_id, message=unknown)
    ).created
    await store.close()
