"""The web app's pages: `/` and each chat's own address `/c/<session_id>` give its index.html."""

from pathlib import Path

import httpx

from cora.app import create_app
from cora.config import Settings

PAGE = "<!doctype html><title>Cora</title><div id=root></div>"


async def test_a_chat_address_is_the_app_page(tmp_path: Path) -> None:
    built = tmp_path / "web"
    built.mkdir()
    (built / "index.html").write_text(PAGE)
    app = create_app(Settings(data_dir=tmp_path / "data", auth="none", web_dir=built))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as http:
        for path in ("/", "/c/5b0a4c2e-1f7d-4b1e-9a51-0d1c2b3a4f5e", "/c/not-a-uuid"):
            response = await http.get(path)
            assert response.status_code == 200, path
            assert response.text == PAGE
            assert response.headers["content-type"].startswith("text/html")
        # The API keeps its own answers: an unknown API path is not the app's page.
        assert (await http.get("/sessions/alice/nope/nope/nope")).status_code == 404
