"""Everything Cora writes under the data directory is its owner's only (contract 6)."""

import stat
import subprocess
import sys

import httpx

PASSWORD = "correct horse battery"


def test_every_file_is_0600_and_every_directory_0700(server_factory, tmp_path) -> None:
    data_dir = tmp_path / "data"
    server = server_factory(data_dir=data_dir)
    url = server.url
    body = {"username": "mona", "password": PASSWORD}
    user_id = httpx.post(f"{url}/auth/register", json=body).json()["user_id"]
    httpx.post(f"{url}/auth/token", data={**body, "password": "a wrong one"})
    token = httpx.post(f"{url}/auth/token", data=body).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    session = httpx.post(f"{url}/sessions/{user_id}", headers=headers).json()
    messages = f"{url}/sessions/{user_id}/{session['session_id']}/messages"
    httpx.post(messages, json={"sender": "user", "text": "hello"}, headers=headers)
    httpx.post(f"{url}/auth/logout", headers=headers)
    reindexed = subprocess.run(
        [sys.executable, "-m", "cora", "reindex", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
    )
    assert reindexed.returncode == 0, reindexed.stderr
    names = {path.name for path in data_dir.rglob("*")}
    assert {"index.sqlite3", "login-failures.sqlite3", "tokens.sqlite3", "jwt-secret"} <= names
    assert any(name.endswith("-wal") for name in names)
    modes = {
        str(path.relative_to(tmp_path)): stat.S_IMODE(path.stat().st_mode)
        for path in [data_dir, *data_dir.rglob("*")]
    }
    wrong = {
        path: oct(mode)
        for path, mode in modes.items()
        if mode != (0o700 if (tmp_path / path).is_dir() else 0o600)
    }
    assert wrong == {}
