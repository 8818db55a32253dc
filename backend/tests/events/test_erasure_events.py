"""Erasing an account erases its live events too: no file of the data directory keeps the
erased user's message texts (the JSON bus's segments under `<data-dir>/events/`)."""

from pathlib import Path

from cora.events import payloads
from cora.services.accounts import AccountStorage, erase_account, register_account
from tests.conftest import open_stores
from tests.factories import new_message, new_session

SECRET = "my policy number is ZX-4417-SECRET"
KEPT = "bob's question about windscreens"


def files_containing(root: Path, text: bytes) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and text in path.read_bytes()]


async def test_no_file_keeps_the_erased_users_message_texts(tmp_path: Path) -> None:
    stores = await open_stores("json", tmp_path)
    try:
        account = await register_account(stores.accounts, username="alice", password="pw-123456")
        bob = await register_account(stores.accounts, username="bob", password="pw-123456")
        for user_id, text in ((account.user_id, SECRET), (bob.user_id, KEPT)):
            message = new_message(text)
            session = new_session(user_id, messages=(message,))
            await stores.sessions.create_sessions(sessions=[session])
            await stores.events.publish(
                payloads.message_changed(user_id, session.session_id, message)
            )
        assert files_containing(tmp_path / "events", SECRET.encode())
        await erase_account(AccountStorage.of(stores), user_id=account.user_id)
    finally:
        await stores.close()
    assert files_containing(tmp_path, SECRET.encode()) == []
    assert files_containing(tmp_path / "events", KEPT.encode())  # other users' events stay
