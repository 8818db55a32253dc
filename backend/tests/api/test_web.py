"""The web app is served for GET and HEAD outside the API; API paths keep their own 404/405
whether or not a web app is there (contract 4, 5)."""

import pytest

from cora.config import Settings
from tests.conftest import app_client

INDEX = b"<!doctype html><title>Cora</title><div id=root></div>"
SCRIPT = b"console.log('cora')"


@pytest.fixture
def web_dir(tmp_path):
    directory = tmp_path / "web"
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_bytes(INDEX)
    (directory / "assets" / "app.js").write_bytes(SCRIPT)
    (tmp_path / "secret.txt").write_text("not for the web")
    return directory


def settings_for(tmp_path, web_dir, auth: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", web_dir=web_dir, auth=auth, jwt_secret="w" * 48)


async def test_the_app_its_files_and_its_pages(tmp_path, web_dir, stores) -> None:
    async with app_client(settings_for(tmp_path, web_dir, "local"), stores) as http:
        root = await http.get("/")
        assert (root.status_code, root.content) == (200, INDEX)
        assert root.headers["content-type"].startswith("text/html")
        assert (await http.get("/chats/123")).content == INDEX
        script = await http.get("/assets/app.js")
        assert (script.status_code, script.content) == (200, SCRIPT)
        head = await http.head("/")
        assert (head.status_code, head.content) == (200, b"")
        missing = await http.get("/assets/missing.js")
        assert missing.status_code == 404
        assert missing.json()["detail"]
        for escape in ("/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt"):
            assert b"not for the web" not in (await http.get(escape)).content
        assert (await http.post("/")).status_code in (404, 405)


@pytest.mark.parametrize("built", [True, False])
async def test_api_paths_answer_their_own_404_and_405(tmp_path, web_dir, stores, built) -> None:
    directory = web_dir if built else tmp_path / "not-built"
    async with app_client(settings_for(tmp_path, directory, "local"), stores) as http:
        put = await http.put("/sessions/alice")
        assert put.status_code == 405
        assert put.headers["allow"] == "GET, POST"
        assert (await http.get("/auth/register")).status_code == 405
        assert (await http.get("/auth/nothing-here")).status_code == 404
        assert (await http.get("/healthz/x")).status_code == 404
    async with app_client(settings_for(tmp_path, directory, "none"), stores) as http:
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
            for path in ("/auth/register", "/auth/token", "/auth/me", "/auth/logout"):
                answer = await http.request(method, path)
                assert answer.status_code == 404, (method, path)
    async with app_client(settings_for(tmp_path, directory, "jwt"), stores) as http:
        for path in ("/auth/register", "/auth/token", "/auth/password", "/auth/logout"):
            assert (await http.post(path)).status_code == 404, path


async def test_without_a_built_app_the_root_says_so(tmp_path, stores) -> None:
    async with app_client(settings_for(tmp_path, tmp_path / "none", "local"), stores) as http:
        root = await http.get("/")
        assert root.status_code == 200
        assert "not built" in root.json()["detail"]
        assert (await http.get("/chats/1")).status_code == 404
