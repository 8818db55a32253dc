"""The web app's pages: `/` and each chat's own address `/c/<session_id>` give its index.html."""

from pathlib import Path

import httpx
import pytest

from cora import app as app_module
from cora.app import create_app
from cora.config import Settings

PAGE = "<!doctype html><title>Cora</title><div id=root></div>"


@pytest.fixture
def web_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    built = tmp_path / "web"
    built.mkdir()
    (built / "index.html").write_text(PAGE)
    monkeypatch.setattr(app_module, "WEB_DIR", built)
    return built


async def test_a_chat_address_is_the_app_page(web_dir: Path, tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", auth="none"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as http:
        for path in ("/", "/c/5b0a4c2e-1f7d-4b1e-9a51-0d1c2b3a4f5e", "/c/not-a-uuid"):
            response = await http.get(path)
            assert response.status_code == 200, path
            assert response.text == PAGE
            assert response.headers["content-type"].startswith("text/html")
        # The API is untouched: an unknown path that is not a chat is still 404.
        assert (await http.get("/nothing-here")).status_code == 404
