"""The commands on PostgreSQL: `cora migrate` (a JSON data directory copied in, once, with counts
that match), `cora cleanup` and `cora users create`."""

import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from cora.domain import SessionChanges
from cora.store.accounts import Account
from cora.store.json_files import JsonFileStore
from cora.store.json_files.accounts import JsonAccountStore
from cora.timeutil import utc_now
from tests.conftest import open_stores
from tests.factories import new_message, new_session
from tests.pg import server_env

BACKEND_DIR = Path(__file__).parents[2]


def run_cora(*args: str, schema: str, stdin: str | None = None, **env: str):
    return subprocess.run(
        [sys.executable, "-m", "cora", *args],
        cwd=BACKEND_DIR,
        capture_output=True,
        text=True,
        input=stdin,
        env={**server_env(schema), "PATH": "/usr/bin:/bin", **env},
        timeout=120,
    )


def run_migrate(data_dir: Path, schema: str) -> subprocess.CompletedProcess[str]:
    return run_cora("migrate", "--from-data-dir", str(data_dir), schema=schema)


async def json_data_dir(data_dir: Path) -> list:
    """Two accounts and 130 sessions (more than one batch), some with messages."""
    accounts = JsonAccountStore(data_dir)
    await accounts.open()
    for name in ("Alice", "bob"):
        account = Account(str(uuid.uuid4()), name, f"$argon2id$hash-of-{name}", utc_now())
        await accounts.create_account(account=account)
    store = JsonFileStore(data_dir)
    await store.open()
    records = [
        new_session(
            "alice" if n % 3 else "bob",
            title=f"claim {n}" if n % 2 else None,
            tags=("auto",) if n % 5 == 0 else (),
            messages=tuple(new_message(f"message {n}.{i}") for i in range(n % 4)),
        )
        for n in range(130)
    ]
    await store.create_sessions(sessions=records)
    await store.close()
    return records


async def test_migrate_copies_everything_once(tmp_path: Path, pg_schema: str) -> None:
    data_dir = tmp_path / "data"
    records = await json_data_dir(data_dir)
    messages = sum(len(r.messages) for r in records)

    first = run_migrate(data_dir, pg_schema)
    assert first.returncode == 0, first.stderr
    assert "Accounts: 2 found, 2 copied, 0 already there" in first.stdout
    assert (
        f"Sessions: 130 found, 130 copied ({messages} messages), 0 already there,"
        " 0 unreadable, 0 refused" in first.stdout
    )
    assert "PostgreSQL holds 2 of the 2 accounts and 130 of the 130 readable sessions" in (
        first.stdout
    )

    again = run_migrate(data_dir, pg_schema)
    assert again.returncode == 0, again.stderr
    assert "Accounts: 2 found, 0 copied, 2 already there" in again.stdout
    assert "Sessions: 130 found, 0 copied (0 messages), 130 already there" in again.stdout
    assert "PostgreSQL holds 2 of the 2 accounts and 130 of the 130 readable" in again.stdout

    stores = await open_stores("postgres", tmp_path, pg_schema)
    try:
        for record in records:
            stored = await stores.sessions.get_session(
                user_id=record.summary.user_id, session_id=record.session_id
            )
            assert stored == record
        alice = await stores.accounts.find_by_username(username="ALICE")
        assert alice is not None and alice.username == "Alice"
        assert alice.password_hash == "$argon2id$hash-of-Alice"
    finally:
        await stores.close()


async def test_migrate_reports_what_it_cannot_copy(tmp_path: Path, pg_schema: str) -> None:
    data_dir = tmp_path / "data"
    store = JsonFileStore(data_dir)
    await store.open()
    good, twice, corrupt = new_session(), new_session(), new_session()
    await store.create_sessions(sessions=[good, twice, corrupt])
    repeated = new_message("again")
    await store.replace_session(
        user_id="alice",
        session_id=twice.session_id,
        messages=[repeated, repeated],
        changes=SessionChanges(),
    )
    await store.close()
    (data_dir / "sessions" / f"alice_{corrupt.session_id}.json").write_bytes(b'{"oops')

    result = run_migrate(data_dir, pg_schema)
    assert result.returncode == 1
    assert "Sessions: 3 found, 1 copied (0 messages), 0 already there, 1 unreadable, 1 refused" in (
        result.stdout
    )
    assert f"Unreadable: {corrupt.session_id}" in result.stdout
    assert f"Refused: {twice.session_id}: a message id appears twice" in result.stdout
    assert "PostgreSQL holds 0 of the 0 accounts and 1 of the 1 readable sessions" in result.stdout


def test_migrate_without_a_database_says_so(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = run_cora(
        "migrate",
        "--from-data-dir",
        str(tmp_path / "data"),
        "--database-url",
        "postgresql://postgres@127.0.0.1:1/test",
        schema="cora_not_there",
        CORA_DB_TIMEOUT_SECONDS="2",
    )
    assert result.returncode == 1
    assert "unavailable" in result.stderr and "Traceback" not in result.stderr


async def test_cleanup_and_users_create_use_the_database(tmp_path: Path, pg_schema: str) -> None:
    stores = await open_stores("postgres", tmp_path, pg_schema)
    now = utc_now()
    idle, fresh = new_session(updated_at=now - timedelta(days=45)), new_session()
    await stores.sessions.create_sessions(sessions=[idle, fresh])

    dry = run_cora("cleanup", "--dry-run", schema=pg_schema, CORA_SESSION_TTL_DAYS="30")
    assert "Would delete 1 sessions" in dry.stdout, dry.stderr
    done = run_cora("cleanup", schema=pg_schema, CORA_SESSION_TTL_DAYS="30")
    assert "Deleted 1 sessions" in done.stdout, done.stderr
    listed = await stores.sessions.list_sessions(user_id="alice", limit=10)
    assert [s.session_id for s in listed.sessions] == [fresh.session_id]

    created = run_cora(
        "users",
        "create",
        "--username",
        "Carol",
        "--password-stdin",
        schema=pg_schema,
        stdin="a good long password\n",
    )
    assert created.returncode == 0, created.stderr
    taken = run_cora(
        "users",
        "create",
        "--username",
        "carol",
        "--password-stdin",
        schema=pg_schema,
        stdin="another password\n",
    )
    assert taken.returncode == 1 and "taken" in taken.stderr
    account = await stores.accounts.find_by_username(username="carol")
    assert account is not None and account.username == "Carol"
    await stores.close()
