"""Static files: text gzipped for clients that ask, hashed assets cached for good (issue 13)."""

from tests.api.test_web import settings_for
from tests.conftest import app_client

BIG_SCRIPT = b"export const answer = 'windshield claims settle in a week';\n" * 400


async def test_text_is_gzipped_and_hashed_assets_are_immutable(tmp_path, stores) -> None:
    web_dir = tmp_path / "web"
    (web_dir / "assets").mkdir(parents=True)
    (web_dir / "index.html").write_bytes(b"<!doctype html><title>Cora</title>")
    (web_dir / "assets" / "index-3f2a9c.js").write_bytes(BIG_SCRIPT)
    async with app_client(settings_for(tmp_path, web_dir, "none"), stores) as http:
        script = await http.get("/assets/index-3f2a9c.js", headers={"Accept-Encoding": "gzip"})
        assert script.status_code == 200
        assert script.headers["content-encoding"] == "gzip"
        assert script.content == BIG_SCRIPT  # httpx undoes the gzip
        assert int(script.headers["content-length"]) < len(BIG_SCRIPT) // 10
        assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert script.headers["vary"] == "Accept-Encoding"
        assert script.headers["content-type"].startswith("text/javascript")

        plain = await http.get("/assets/index-3f2a9c.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.content == BIG_SCRIPT
        ranged = await http.get(
            "/assets/index-3f2a9c.js", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"}
        )
        assert ranged.content == BIG_SCRIPT[:10]

        page = await http.get("/", headers={"Accept-Encoding": "gzip"})
        assert page.headers["cache-control"] == "no-cache"  # small: sent as it is
        assert "content-encoding" not in page.headers
