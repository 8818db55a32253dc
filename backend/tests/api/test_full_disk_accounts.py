"""A full disk (contract 6): registration answers 507 and leaves nothing behind, log-in keeps
working, an append answers 507 and leaves the file as it was. A real 256 KiB tmpfs."""

from cora.config import Settings
from tests.api.test_auth import PASSWORD, log_in, register
from tests.conftest import app_client, open_stores
from tests.store.test_json_files import fill_disk, tiny_disk  # noqa: F401 (a fixture)


async def test_accounts_on_a_full_disk(tiny_disk) -> None:  # noqa: F811
    settings = Settings(data_dir=tiny_disk, auth="local", jwt_secret="d" * 48)
    stores = await open_stores("json", tiny_disk)
    try:
        async with app_client(settings, stores) as http:
            alice = await register(http, "alice")
            headers = {
                "Authorization": f"Bearer {(await log_in(http, 'alice')).json()['access_token']}"
            }
            session = (await http.post(f"/sessions/{alice['user_id']}", headers=headers)).json()
            session_file = (
                tiny_disk / "sessions" / f"{alice['user_id']}_{session['session_id']}.json"
            )
            accounts_before = sorted(p.name for p in (tiny_disk / "accounts").rglob("*"))
            file_before = session_file.read_bytes()
            fill_disk(tiny_disk / "filler")

            full = await http.post("/auth/register", json={"username": "bob", "password": PASSWORD})
            assert full.status_code == 507
            assert full.json()["detail"]
            assert sorted(p.name for p in (tiny_disk / "accounts").rglob("*")) == accounts_before
            assert (await log_in(http, "alice")).status_code == 200
            assert (await log_in(http, "alice", "a wrong password")).status_code == 401
            append = await http.post(
                f"/sessions/{alice['user_id']}/{session['session_id']}/messages",
                json={"sender": "user", "text": "x" * 20_000},
                headers=headers,
            )
            assert append.status_code == 507
            assert session_file.read_bytes() == file_before

            (tiny_disk / "filler").unlink()
            assert (
                await http.post("/auth/register", json={"username": "bob", "password": PASSWORD})
            ).status_code == 201
    finally:
        await stores.close()
