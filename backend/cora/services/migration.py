"""`cora migrate`: every account and session of a JSON data directory, copied into PostgreSQL.

Records already in the database (by user id, username or session id) are left as they are, so
a second run copies nothing twice and an interrupted run can simply be started again.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from cora.domain import SessionRecord, is_user_id, is_uuid
from cora.errors import SessionCorrupt, SessionNotFound
from cora.store.accounts import Account
from cora.store.json_files import JsonFileStore
from cora.store.json_files.accounts import JsonAccountStore
from cora.store.postgres.copy import Copied, PostgresCopier
from cora.store.postgres.database import PostgresDatabase

BATCH = 100


@dataclass(frozen=True, slots=True)
class SessionFile:
    user_id: str
    session_id: str


@dataclass(slots=True)
class MigrationReport:
    accounts_found: int = 0
    accounts: Copied = field(default_factory=Copied)
    accounts_in_database: int = 0
    sessions_found: int = 0
    sessions: Copied = field(default_factory=Copied)
    sessions_in_database: int = 0
    unreadable: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every readable record of the directory is in the database."""
        copyable = self.sessions_found - len(self.unreadable) - len(self.refused)
        return (
            self.accounts_in_database == self.accounts_found
            and self.sessions_in_database == copyable
        )


def session_files(data_dir: Path) -> list[SessionFile]:
    """Sessions by file name, `<user_id>_<session_id>.json`, as the JSON store names them."""
    found = []
    for path in sorted((data_dir / "sessions").glob("*.json")):
        user_id, _, session_id = path.stem.partition("_")
        if is_user_id(user_id) and is_uuid(session_id):
            found.append(SessionFile(user_id, session_id))
    return found


def account_keys(data_dir: Path) -> list[str]:
    return sorted(path.stem for path in (data_dir / "accounts" / "users").glob("*.json"))


def unstorable(record: SessionRecord) -> str | None:
    """Why PostgreSQL cannot hold this session as it is, or None."""
    ids = [message.id for message in record.messages]
    if len(set(ids)) != len(ids):
        return "a message id appears twice"
    if not all(is_uuid(message_id) for message_id in ids):
        return "a message id is not a UUID"
    texts = [record.summary.title or "", record.custom_title or "", *record.summary.tags]
    texts += [message.text for message in record.messages]
    metadata = [record.summary.metadata, *(message.metadata for message in record.messages)]
    if any("\x00" in text for text in texts) or any(
        b"\\u0000" in orjson.dumps(m) for m in metadata
    ):
        return "it contains a NUL character"
    return None


async def copy_data_dir(
    data_dir: Path, database: PostgresDatabase, *, advance: Callable[[int], None]
) -> MigrationReport:
    """Copy accounts, then sessions in batches; `advance(n)` after every n records handled."""
    report = MigrationReport()
    copier = PostgresCopier(database)
    accounts = await _read_accounts(data_dir)
    report.accounts_found = len(accounts)
    report.accounts = await copier.copy_accounts(accounts)
    advance(len(accounts))
    report.accounts_in_database = await copier.count_accounts([a.user_id for a in accounts])

    files = session_files(data_dir)
    report.sessions_found = len(files)
    store = JsonFileStore(data_dir)
    copied_ids: list[str] = []
    for start in range(0, len(files), BATCH):
        batch = files[start : start + BATCH]
        records = await _read_sessions(store, batch, report)
        report.sessions += await copier.copy_sessions(records)
        copied_ids += [record.session_id for record in records]
        advance(len(batch))
    report.sessions_in_database = await copier.count_sessions(copied_ids)
    return report


async def _read_accounts(data_dir: Path) -> list[Account]:
    accounts = JsonAccountStore(data_dir)
    found = [await accounts.find_by_username(username=key) for key in account_keys(data_dir)]
    return [account for account in found if account is not None]


async def _read_sessions(
    store: JsonFileStore, files: Sequence[SessionFile], report: MigrationReport
) -> list[SessionRecord]:
    records = []
    for file in files:
        try:
            record = await store.get_session(user_id=file.user_id, session_id=file.session_id)
        except (SessionCorrupt, SessionNotFound):
            report.unreadable.append(file.session_id)
            continue
        if (reason := unstorable(record)) is not None:
            report.refused[file.session_id] = reason
            continue
        records.append(record)
    return records
