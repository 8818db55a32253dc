"""Log-out, password change and erasure across real processes: a second worker, a second server
on the same storage (one data directory, or one PostgreSQL schema), the operator's commands,
and an erasure interrupted after its first step."""

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from cora.config import Settings
from cora.store import create_stores
from tests.pg import DATABASE_URL, server_env

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another fine passphrase"
SECRET = "shared-secret-" + "z" * 40
FRESH_CONNECTIONS = 20


def env_for(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    env = {"CORA_JWT_SECRET": SECRET, "CORA_REGISTRATIONS_PER_HOUR": "0"}
    if backend == "postgres":
        env |= server_env(request.getfixturevalue("pg_schema"))
    return env


def register(url: str, username: str, password: str = PASSWORD) -> str:
    answer = httpx.post(f"{url}/auth/register", json={"username": username, "password": password})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["user_id"])


def token(url: str, username: str, password: str = PASSWORD) -> dict[str, str]:
    answer = httpx.post(f"{url}/auth/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def me_status(url: str, headers: dict[str, str]) -> int:
    """On a new connection each time, so that every worker gets its turn."""
    return httpx.get(f"{url}/auth/me", headers=headers).status_code


def assert_refused(url: str, headers: dict[str, str]) -> None:
    """FRESH_CONNECTIONS requests in a row answer 401: the revocation's 204 came only once no
    process could still trust a cached check of the token."""
    statuses = [me_status(url, headers) for _ in range(FRESH_CONNECTIONS)]
    assert statuses == [401] * FRESH_CONNECTIONS, f"the token still worked at {url}: {statuses}"


@pytest.mark.parametrize("backend", ["json", "postgres"])
def test_revocations_hold_on_a_second_server(backend, request, server_factory, tmp_path) -> None:
    env = env_for(backend, request)
    first = server_factory(env=env)
    second_dir = first.data_dir if backend == "json" else tmp_path / "second"
    second = server_factory(env=env, data_dir=second_dir)
    a, b = first.url, second.url
    register(a, "rosa")
    logged_out, kept = token(a, "rosa"), token(b, "rosa")
    assert me_status(b, logged_out) == 200
    assert httpx.post(f"{a}/auth/logout", headers=logged_out).status_code == 204
    assert me_status(a, logged_out) == 401
    assert_refused(b, logged_out)
    assert me_status(b, kept) == 200

    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (
        httpx.post(f"{a}/auth/password", json=change, headers=token(a, "rosa")).status_code == 204
    )
    assert_refused(b, kept)

    last = token(b, "rosa", NEW_PASSWORD)
    old_id = httpx.get(f"{b}/auth/me", headers=last).json()["user_id"]
    assert httpx.post(f"{b}/sessions/{old_id}", headers=last).status_code == 201
    erase = httpx.request("DELETE", f"{a}/auth/me", json={"password": NEW_PASSWORD}, headers=last)
    assert erase.status_code == 204
    assert_refused(b, last)
    assert register(b, "Rosa") != old_id
    assert httpx.get(f"{b}/sessions/{old_id}", headers=last).status_code == 401


def test_a_log_out_holds_on_every_worker(server_factory) -> None:
    server = server_factory("--workers", "2", env={"CORA_REGISTRATIONS_PER_HOUR": "0"})
    register(server.url, "wanda")
    headers = token(server.url, "wanda")
    assert all(me_status(server.url, headers) == 200 for _ in range(FRESH_CONNECTIONS))
    assert httpx.post(f"{server.url}/auth/logout", headers=headers).status_code == 204
    assert_refused(server.url, headers)


def cora_command(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cora", *args], input=stdin, capture_output=True, text=True
    )


def test_operator_commands_set_a_password_and_erase_an_account(server_factory) -> None:
    server = server_factory(env={"CORA_REGISTRATIONS_PER_HOUR": "0"})
    data = ["--data-dir", str(server.data_dir)]
    user_id = register(server.url, "olga")
    headers = token(server.url, "olga")
    assert httpx.post(f"{server.url}/sessions/{user_id}", headers=headers).status_code == 201
    done = cora_command(
        "users", "set-password", "--username", "OLGA", "--password-stdin", *data,
        stdin=NEW_PASSWORD + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert NEW_PASSWORD not in done.stdout + done.stderr
    assert_refused(server.url, headers)
    headers = token(server.url, "olga", NEW_PASSWORD)
    missing = cora_command("users", "delete", "--username", "nobody", "--yes", *data)
    assert missing.returncode == 1
    erased = cora_command("users", "delete", "--username", "olga", "--yes", *data)
    assert erased.returncode == 0, erased.stderr
    assert_refused(server.url, headers)
    assert traces(server.data_dir, user_id, "olga") == []


def test_an_erasure_cut_short_after_its_intent_finishes_at_the_next_start(
    server_factory, tmp_path
) -> None:
    data_dir = tmp_path / "data"
    server = server_factory(data_dir=data_dir)
    user_id = register(server.url, "ida")
    headers = token(server.url, "ida")
    for _ in range(3):
        assert httpx.post(f"{server.url}/sessions/{user_id}", headers=headers).status_code == 201
    server.stop()
    asyncio.run(begin_deletion_only(data_dir, user_id))
    assert list((data_dir / "sessions").glob(f"{user_id}_*"))
    server_factory(data_dir=data_dir)
    assert traces(data_dir, user_id, "ida") == []


async def begin_deletion_only(data_dir: Path, user_id: str) -> None:
    """What a process that crashed right after the erasure's first step leaves behind."""
    stores = create_stores(Settings(data_dir=data_dir))
    await stores.open()
    try:
        await stores.accounts.begin_deletion(user_id=user_id)
    finally:
        await stores.close()


@pytest.mark.parametrize("backend", ["json", "postgres"])
def test_erasure_leaves_no_file_row_or_index_entry(backend, request, server_factory) -> None:
    env = env_for(backend, request)
    server = server_factory(env=env)
    user_id = register(server.url, "Erin")
    register(server.url, "frida")
    httpx.post(f"{server.url}/auth/token", data={"username": "erin", "password": "wrong-one"})
    headers = token(server.url, "erin")
    for text in ("my policy number", "my address"):
        created = httpx.post(f"{server.url}/sessions/{user_id}", headers=headers).json()
        url = f"{server.url}/sessions/{user_id}/{created['session_id']}/messages"
        assert httpx.post(url, json={"sender": "user", "text": text}, headers=headers).is_success
    assert httpx.post(f"{server.url}/auth/logout", headers=headers).status_code == 204
    headers = token(server.url, "erin")
    assert traces(server.data_dir, user_id, "erin", env.get("CORA_DATABASE_SCHEMA"))
    erase = httpx.request(
        "DELETE", f"{server.url}/auth/me", json={"password": PASSWORD}, headers=headers
    )
    assert erase.status_code == 204
    assert traces(server.data_dir, user_id, "erin", env.get("CORA_DATABASE_SCHEMA")) == []
    assert me_status(server.url, token(server.url, "frida")) == 200


def traces(data_dir: Path, user_id: str, username: str, schema: str | None = None) -> list[str]:
    """Every file, SQLite row or PostgreSQL row under the data directory or in the schema that
    names the user id or the (lower-case) username."""
    needles = (user_id, username.lower())
    found = [str(path) for path in data_dir.rglob("*") if any(n in path.name for n in needles)]
    for path in data_dir.rglob("*"):
        is_json = path.is_file() and path.suffix == ".json"
        if is_json and any(n.encode() in path.read_bytes().lower() for n in needles):
            found.append(str(path))
        if path.is_file() and path.suffix == ".sqlite3":
            found += [f"{path}: {row}" for row in sqlite_rows(path) if _names(row, needles)]
    if schema is not None:
        found += [f"{schema}: {row}" for row in postgres_rows(schema) if _names(row, needles)]
    return found


def _names(row: object, needles: tuple[str, ...]) -> bool:
    text = str(row).lower()
    return any(needle.lower() in text for needle in needles)


def sqlite_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return [row for table in tables for row in db.execute(f'SELECT * FROM "{table}"')]


def postgres_rows(schema: str) -> list[tuple[object, ...]]:
    with psycopg.connect(DATABASE_URL) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        rows: list[tuple[object, ...]] = []
        for (table,) in tables:
            query = sql.SQL("SELECT * FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            rows += conn.execute(query).fetchall()
        return rows
