"""`cora export` and `cora import` as a user runs them: in their own process, on a data dir."""

import stat
import subprocess
import sys
from pathlib import Path

import orjson


def cora(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cora", *args], cwd=cwd, capture_output=True, timeout=120
    )


def chatgpt_file(tmp_path: Path, chatgpt_export: bytes) -> Path:
    path = tmp_path / "conversations.json"
    path.write_bytes(chatgpt_export)
    return path


def test_import_then_export_through_the_command_line(tmp_path, chatgpt_export) -> None:
    source = chatgpt_file(tmp_path, chatgpt_export)
    data = ["--data-dir", str(tmp_path / "data")]
    first = cora("import", "--user", "alice", *data, str(source), cwd=tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout.decode() == "Imported 3 sessions for alice; skipped 0 imported before\n"
    again = cora("import", "--user", "alice", *data, str(source), cwd=tmp_path)
    assert again.stdout.decode() == "Imported 0 sessions for alice; skipped 3 imported before\n"

    exported = cora("export", "--user", "alice", *data, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr.decode()
    document = orjson.loads(exported.stdout)
    assert document["format"] == "cora-sessions" and document["version"] == 1
    assert sorted(s["metadata"]["imported_from"] for s in document["sessions"]) == [
        "6650a1f2-1b2c-8000-9d3e-4f5a6b7c8d01",
        "conv-untitled",
        "conv-without-current-node",
    ]

    out = tmp_path / "alice.json"
    to_file = cora("export", "--user", "alice", "--out", str(out), *data, cwd=tmp_path)
    assert to_file.returncode == 0
    assert f"Exported 3 sessions of alice to {out}" in to_file.stderr.decode()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # someone's chats: for the owner only
    assert orjson.loads(out.read_bytes()) == document

    copied = cora("import", "--user", "bob", *data, str(out), cwd=tmp_path)
    assert copied.stdout.decode() == "Imported 3 sessions for bob; skipped 0 imported before\n"


def test_an_invalid_file_imports_nothing_and_exits_1(tmp_path, chatgpt_export) -> None:
    conversations = orjson.loads(chatgpt_export)
    conversations[1]["mapping"]["u-2-1"]["parent"] = "nowhere"
    source = tmp_path / "broken.json"
    source.write_bytes(orjson.dumps(conversations))
    data = ["--data-dir", str(tmp_path / "data")]
    result = cora("import", "--user", "alice", *data, str(source), cwd=tmp_path)
    assert result.returncode == 1
    assert "node 'u-2-1' names parent 'nowhere' which is not in mapping" in result.stderr.decode()
    exported = cora("export", "--user", "alice", *data, cwd=tmp_path)
    assert orjson.loads(exported.stdout)["sessions"] == []


def test_bad_arguments_are_refused(tmp_path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert cora("import", "--user", "alice", *data, "missing.json", cwd=tmp_path).returncode == 2
    (tmp_path / "x.json").write_bytes(b"[]")
    bad_user = cora("import", "--user", "no/slash", *data, "x.json", cwd=tmp_path)
    assert bad_user.returncode == 2
    assert "user id" in bad_user.stderr.decode()


def test_a_large_archive_shows_progress(tmp_path) -> None:
    conversations = [
        {
            "id": f"c{number}",
            "title": f"Conversation {number}",
            "mapping": {
                "u": {
                    "message": {
                        "author": {"role": "user"},
                        "content": {"content_type": "text", "parts": ["Hello"]},
                    },
                    "parent": None,
                }
            },
        }
        for number in range(150)
    ]
    source = tmp_path / "conversations.json"
    source.write_bytes(orjson.dumps(conversations))
    data = ["--data-dir", str(tmp_path / "data")]
    result = cora("import", "--user", "alice", *data, str(source), cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert "Checking" in result.stderr.decode() and "150/150" in result.stderr.decode()
    exported = cora("export", "--user", "alice", "--out", "all.json", *data, cwd=tmp_path)
    assert "Exporting" in exported.stderr.decode()
    assert len(orjson.loads((tmp_path / "all.json").read_bytes())["sessions"]) == 150
