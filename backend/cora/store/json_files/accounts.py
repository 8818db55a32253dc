"""Accounts as files under `<data-dir>/accounts/`, and failed log-ins in a small SQLite file.

    accounts/users/<username in lower case>.json   the account
    accounts/ids/<user_id>                         the lower-case username, to find it by id

An account file appears by `link()` of a complete temporary file, which fails if the name is
taken: creation is atomic and usernames stay unique, in any letter case, across processes.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

import anyio.to_thread
import orjson

from cora.errors import StorageUnavailable, UsernameTaken
from cora.store.accounts import Account, AccountStore, LoginThrottle
from cora.store.json_files.locking import fsync_directory, write_new_file, write_temporary
from cora.timeutil import format_timestamp, parse_timestamp


class JsonAccountStore(AccountStore):
    def __init__(self, data_dir: Path) -> None:
        self._users = data_dir / "accounts" / "users"
        self._ids = data_dir / "accounts" / "ids"

    async def open(self) -> None:
        self._users.mkdir(parents=True, exist_ok=True)
        self._ids.mkdir(parents=True, exist_ok=True)

    async def create_account(self, *, account: Account) -> None:
        await anyio.to_thread.run_sync(self._create, account)

    def _create(self, account: Account) -> None:
        key = account.username.lower()
        document = orjson.dumps(
            {
                "user_id": account.user_id,
                "username": account.username,
                "password_hash": account.password_hash,
                "created_at": format_timestamp(account.created_at),
            }
        )
        write_new_file(self._ids, account.user_id, key.encode())
        temporary = write_temporary(self._users, f"{key}.json", document, sync=True)
        try:
            os.link(temporary, self._users / f"{key}.json")
        except FileExistsError:
            (self._ids / account.user_id).unlink(missing_ok=True)
            raise UsernameTaken() from None
        finally:
            temporary.unlink()
        fsync_directory(self._users)

    async def find_by_username(self, *, username: str) -> Account | None:
        return await anyio.to_thread.run_sync(self._read, username.lower())

    async def find_by_id(self, *, user_id: str) -> Account | None:
        try:
            key = (self._ids / user_id).read_text()
        except (FileNotFoundError, NotADirectoryError):
            return None
        account = await anyio.to_thread.run_sync(self._read, key)
        return account if account and account.user_id == user_id else None

    def _read(self, key: str) -> Account | None:
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


class SqliteLoginThrottle(LoginThrottle):
    """Failed log-ins in `<data-dir>/login-failures.sqlite3`, shared by every worker."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / "login-failures.sqlite3"

    async def open(self) -> None:
        await anyio.to_thread.run_sync(self._create_schema)

    def _create_schema(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS failures (username TEXT NOT NULL, at TEXT)")
            db.execute("CREATE INDEX IF NOT EXISTS failures_by_name ON failures (username, at)")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self._path, timeout=30)) as db, db:
                yield db
        except sqlite3.Error as error:
            raise StorageUnavailable() from error

    async def recent_failures(self, *, username: str, since: datetime) -> list[datetime]:
        return await anyio.to_thread.run_sync(self._recent, username.lower(), since)

    def _recent(self, key: str, since: datetime) -> list[datetime]:
        with self._connection() as db:
            rows = db.execute(
                "SELECT at FROM failures WHERE username = ? AND at > ? ORDER BY at",
                (key, format_timestamp(since)),
            ).fetchall()
        return [parse_timestamp(at) for (at,) in rows]

    async def record_failure(self, *, username: str, at: datetime) -> None:
        await anyio.to_thread.run_sync(self._record, username.lower(), at)

    def _record(self, key: str, at: datetime) -> None:
        with self._connection() as db:
            db.execute("INSERT INTO failures VALUES (?, ?)", (key, format_timestamp(at)))
            db.execute(
                "DELETE FROM failures WHERE at < date(?, '-1 day')", (at.date().isoformat(),)
            )

    async def clear_failures(self, *, username: str) -> None:
        await anyio.to_thread.run_sync(self._clear, username.lower())

    def _clear(self, key: str) -> None:
        with self._connection() as db:
            db.execute("DELETE FROM failures WHERE username = ?", (key,))
