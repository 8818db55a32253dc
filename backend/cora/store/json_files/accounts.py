"""Accounts as files under `<data-dir>/accounts/`, and failed log-ins in a small SQLite file.

    accounts/users/<username in lower case>.json   the account
    accounts/ids/<user_id>                         the lower-case username, to find it by id
    accounts/deleting/<user_id>                    an erasure begun: the lower-case username

An account file appears by `link()` of a complete temporary file, which fails if the name is
taken: creation is atomic and usernames stay unique, in any letter case, across processes.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path

import anyio.to_thread
import orjson

from cora.domain import is_user_id, is_username
from cora.errors import NotAuthenticated, UsernameTaken
from cora.store.accounts import Account, AccountStore, LoginThrottle, Reservation
from cora.store.json_files.locking import (
    fsync_directory,
    locked_file,
    write_new_file,
    write_temporary,
)
from cora.store.json_files.small_db import SmallDatabase, storage_errors
from cora.timeutil import format_timestamp, parse_timestamp

THROTTLE_SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (username TEXT NOT NULL, at TEXT);
CREATE INDEX IF NOT EXISTS failures_by_name ON failures (username, at);
"""
ATTEMPTS_KEPT = timedelta(days=1)


class JsonAccountStore(AccountStore):
    def __init__(self, data_dir: Path) -> None:
        self._users = data_dir / "accounts" / "users"
        self._ids = data_dir / "accounts" / "ids"
        self._deleting = data_dir / "accounts" / "deleting"

    async def open(self) -> None:
        for directory in (self._users, self._ids, self._deleting):
            directory.mkdir(parents=True, exist_ok=True)

    async def create_account(self, *, account: Account) -> None:
        await anyio.to_thread.run_sync(self._create, account)

    def _create(self, account: Account) -> None:
        key = account.username.lower()
        with storage_errors():
            write_new_file(self._ids, account.user_id, key.encode())
            try:
                self._link_account(key, account)
            except BaseException:
                (self._ids / account.user_id).unlink(missing_ok=True)
                raise

    def _link_account(self, key: str, account: Account) -> None:
        temporary = write_temporary(self._users, f"{key}.json", _encode(account), sync=True)
        try:
            os.link(temporary, self._users / f"{key}.json")
        except FileExistsError:
            raise UsernameTaken() from None
        finally:
            temporary.unlink()
        fsync_directory(self._users)

    async def find_by_username(self, *, username: str) -> Account | None:
        if not is_username(username):
            return None
        return await anyio.to_thread.run_sync(self._read, username.lower())

    async def find_by_id(self, *, user_id: str) -> Account | None:
        if not is_user_id(user_id):
            return None
        return await anyio.to_thread.run_sync(self._find_by_id, user_id)

    def _find_by_id(self, user_id: str) -> Account | None:
        key = self._key_of(self._ids, user_id)
        if key is None:
            return None
        account = self._read(key)
        return account if account and account.user_id == user_id else None

    def _read(self, key: str) -> Account | None:
        with storage_errors():
            try:
                document = orjson.loads((self._users / f"{key}.json").read_bytes())
            except FileNotFoundError:
                return None
        return Account(
            user_id=document["user_id"],
            username=document["username"],
            password_hash=document["password_hash"],
            created_at=parse_timestamp(document["created_at"]),
        )

    async def set_password_hash(self, *, user_id: str, password_hash: str) -> None:
        await anyio.to_thread.run_sync(self._set_password_hash, user_id, password_hash)

    def _set_password_hash(self, user_id: str, password_hash: str) -> None:
        key = self._key_of(self._ids, user_id)
        with self._locked_account(key, user_id) as account:
            changed = Account(
                user_id=user_id,
                username=account.username,
                password_hash=password_hash,
                created_at=account.created_at,
            )
            write_new_file(self._users, f"{key}.json", _encode(changed))
            fsync_directory(self._users)

    @contextmanager
    def _locked_account(self, key: str | None, user_id: str) -> Iterator[Account]:
        """The account under its file's exclusive lock; `NotAuthenticated` when it is gone."""
        if key is None:
            raise NotAuthenticated("The account no longer exists")
        path = self._users / f"{key}.json"
        with storage_errors():
            try:
                with locked_file(path, exclusive=True):
                    account = self._read(key)
                    if account is None or account.user_id != user_id:
                        raise NotAuthenticated("The account no longer exists")
                    yield account
            except FileNotFoundError:
                raise NotAuthenticated("The account no longer exists") from None

    async def begin_deletion(self, *, user_id: str) -> None:
        await anyio.to_thread.run_sync(self._begin_deletion, user_id)

    def _begin_deletion(self, user_id: str) -> None:
        key = self._key_of(self._ids, user_id)
        if key is None:
            return
        with storage_errors():
            write_new_file(self._deleting, user_id, key.encode())
            fsync_directory(self._deleting)
        self._remove_account(user_id, key)

    def _remove_account(self, user_id: str, key: str) -> None:
        """The account file (if it is still this user's), then the id file."""
        with suppress(NotAuthenticated), self._locked_account(key, user_id):
            (self._users / f"{key}.json").unlink()
            fsync_directory(self._users)
        with storage_errors():
            (self._ids / user_id).unlink(missing_ok=True)
            fsync_directory(self._ids)

    async def finish_deletion(self, *, user_id: str) -> None:
        await anyio.to_thread.run_sync(self._finish_deletion, user_id)

    def _finish_deletion(self, user_id: str) -> None:
        key = self._key_of(self._deleting, user_id)
        if key is None:
            return
        self._remove_account(user_id, key)
        with storage_errors():
            (self._deleting / user_id).unlink(missing_ok=True)
            fsync_directory(self._deleting)

    async def pending_deletions(self) -> list[str]:
        with storage_errors():
            return sorted(path.name for path in self._deleting.iterdir() if is_user_id(path.name))

    def _key_of(self, directory: Path, user_id: str) -> str | None:
        with storage_errors():
            try:
                return (directory / user_id).read_text()
            except (FileNotFoundError, NotADirectoryError):
                return None


def _encode(account: Account) -> bytes:
    return orjson.dumps(
        {
            "user_id": account.user_id,
            "username": account.username,
            "password_hash": account.password_hash,
            "created_at": format_timestamp(account.created_at),
        }
    )


class SqliteLoginThrottle(LoginThrottle):
    """Attempts in `<data-dir>/login-failures.sqlite3`, shared by every worker."""

    def __init__(self, data_dir: Path) -> None:
        self._db = SmallDatabase(data_dir / "login-failures.sqlite3", THROTTLE_SCHEMA)

    async def open(self) -> None:
        await anyio.to_thread.run_sync(self._db.create)

    async def reserve_attempt(
        self, *, username: str, at: datetime, window: timedelta, limit: int
    ) -> Reservation:
        return await anyio.to_thread.run_sync(self._reserve, username.lower(), at, window, limit)

    def _reserve(self, key: str, at: datetime, window: timedelta, limit: int) -> Reservation:
        with self._db.transaction() as db:
            rows = db.execute(
                "SELECT at FROM failures WHERE username = ? AND at > ? ORDER BY at",
                (key, format_timestamp(at - window)),
            ).fetchall()
            if len(rows) >= limit:
                return Reservation(False, parse_timestamp(rows[-limit][0]) + window)
            db.execute("INSERT INTO failures VALUES (?, ?)", (key, format_timestamp(at)))
            db.execute("DELETE FROM failures WHERE at < ?", (format_timestamp(at - ATTEMPTS_KEPT),))
        return Reservation(True)

    async def clear_failures(self, *, username: str) -> None:
        await anyio.to_thread.run_sync(self._clear, username.lower())

    def _clear(self, key: str) -> None:
        with self._db.connection() as db:
            db.execute("DELETE FROM failures WHERE username = ?", (key,))
