"""A wheel of Cora carries the web app: built, installed in a fresh virtual environment, and
served by that installation's `cora serve`.

The wheel is built from a copy of the sources; when the web app has not been built
(`make web`), the copy gets a small stand-in, so the test shows what the wheel packages
either way. The fresh environment reaches the already installed dependencies through a
`.pth` line instead of downloading them: no network.
"""

import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

BACKEND = Path(__file__).resolve().parents[2]
STAND_IN = b"<!doctype html><title>Cora stand-in</title><div id=root></div>"


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def build_wheel(tmp_path: Path) -> tuple[Path, bytes]:
    source = tmp_path / "source"
    shutil.copytree(BACKEND / "cora", source / "cora", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(BACKEND / "pyproject.toml", source)
    index = source / "cora" / "web" / "index.html"
    if not index.is_file():
        (index.parent / "assets").mkdir(parents=True)
        index.write_bytes(STAND_IN)
        (index.parent / "assets" / "app.js").write_text("console.log('stand-in')")
    pip = [sys.executable, "-m", "pip"]
    run(
        *pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", "dist", source, cwd=tmp_path
    )
    return next((tmp_path / "dist").glob("cora-*.whl")), index.read_bytes()


def fresh_environment(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "fresh"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path)
    (Path(site.strip()) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", python]
    run(*pip, "install", "--no-deps", "--no-index", "-q", wheel, cwd=tmp_path)
    return venv


def test_the_wheel_serves_the_web_app_from_a_fresh_environment(tmp_path) -> None:
    wheel, index = build_wheel(tmp_path)
    venv = fresh_environment(tmp_path, wheel)
    where = run(venv / "bin" / "python", "-c", "import cora; print(cora.__file__)", cwd=tmp_path)
    assert where.startswith(str(venv))
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [venv / "bin" / "cora", "serve", "--port", str(port), "--data-dir", tmp_path / "data"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        root = None
        deadline = time.monotonic() + 90  # as start_server: a loaded 2-core machine is slow
        while root is None and time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                root = httpx.get(f"http://127.0.0.1:{port}/")
            except httpx.TransportError:
                time.sleep(0.2)
        assert root is not None, "cora serve did not answer"
        assert (root.status_code, root.content) == (200, index)
        assert root.headers["content-type"].startswith("text/html")
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:  # as Server.stop: never leave it running
            server.kill()
            server.wait()
        log.close()
