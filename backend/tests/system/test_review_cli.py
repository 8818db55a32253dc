"""`cora review` as an operator runs it: the questions to look at, from a running server's data."""

import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson


def cora(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cora", *args], cwd=cwd, capture_output=True, timeout=120
    )


@contextmanager
def server_on(data_dir: Path, server_factory) -> Iterator[httpx.Client]:
    """A client of a real server (auth mode none) storing in `data_dir`."""
    server = server_factory("--auth", "none", data_dir=data_dir)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def new_session(http: httpx.Client, user: str) -> str:
    return http.post(f"/sessions/{user}").json()["session_id"]


def chat(http: httpx.Client, user: str, session_id: str, text: str) -> dict:
    return http.post(f"/sessions/{user}/{session_id}/chat", json={"text": text}).json()["reply"]


def test_questions_declined_or_rated_down_are_listed_once_with_the_turns_before(
    tmp_path, server_factory
) -> None:
    data_dir = tmp_path / "data"
    with server_on(data_dir, server_factory) as http:
        alice = new_session(http, "alice")
        answered = chat(http, "alice", alice, "What is a deductible?")
        hello = chat(http, "alice", alice, "hello")
        offer = chat(http, "alice", alice, "rental car")
        picked = chat(http, "alice", alice, offer["metadata"]["suggestions"][1])  # a button
        rating = {"feedback": {"rating": "down", "comment": "I wanted my own deductible"}}
        http.patch(f"/sessions/alice/{alice}/messages/{answered['id']}", json=rating)
        bob = new_session(http, "bob")
        liked = chat(http, "bob", bob, "How do I file a claim?")
        like = {"feedback": {"rating": "up"}}
        http.patch(f"/sessions/bob/{bob}/messages/{liked['id']}", json=like)
        chat(http, "bob", bob, "can you book me a flight to denver")
        again = http.post(f"/sessions/bob/{bob}/chat/regenerate").json()["reply"]
        rating = {"feedback": {"rating": "down", "comment": "so no flights?"}}
        http.patch(f"/sessions/bob/{bob}/messages/{again['id']}", json=rating)

    out = tmp_path / "review.json"
    out.write_bytes(b"an earlier review")
    out.chmod(0o644)
    result = cora("review", "--data-dir", str(data_dir), "--out", str(out), cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    assert "3 questions to review since" in result.stderr.decode()
    assert "2 declined, 2 rated down (a question can be both)" in result.stderr.decode()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # customers' own words, even over a 644 file
    questions = orjson.loads(out.read_bytes())["questions"]
    shown = [(q["question"], q["why"], q["answered_with"], q["history"]) for q in questions]
    assert shown == [
        ("What is a deductible?", ["rated down"], "deductible-what", []),
        (
            "rental car",
            ["declined"],
            None,
            [
                {"user": "What is a deductible?"},
                {"cora": "deductible-what"},  # the entry's current text, when the case is run
                {"user": "hello"},
                {"assistant": hello["text"]},
            ],
        ),
        (
            "can you book me a flight to denver",
            ["declined", "rated down"],  # declined twice (regenerated), listed once
            None,
            [{"user": "How do I file a claim?"}, {"cora": "claims-file"}],
        ),
    ]
    assert [q["replies"] for q in questions] == [1, 1, 2]
    assert isinstance(picked["metadata"]["faq_id"], str)  # the suggestion's entry answered it
    assert [q["picked"] for q in questions] == [None, picked["metadata"]["faq_id"], None]
    assert [q["comments"] for q in questions] == [
        ["I wanted my own deductible"],
        [],
        ["so no flights?"],
    ]
    assert len(questions[1]["suggested"]) == 3
    assert all(q["expect"] == [] for q in questions)  # to be labelled


def test_nothing_to_review_prints_an_empty_list(tmp_path) -> None:
    result = cora("review", "--data-dir", str(tmp_path / "data"), "--days", "7", cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    assert orjson.loads(result.stdout)["questions"] == []
    assert "0 questions to review" in result.stderr.decode()


def test_a_damaged_session_file_is_counted_and_the_others_are_listed(
    tmp_path, server_factory
) -> None:
    data_dir = tmp_path / "data"
    with server_on(data_dir, server_factory) as http:
        damaged = new_session(http, "alice")
        for text in ("rental car", "what is the weather tomorrow", "hello"):
            chat(http, "alice", damaged, text)
        kept = new_session(http, "alice")
        chat(http, "alice", kept, "can you book me a flight to denver")
    (path,) = data_dir.rglob(f"alice_{damaged}.json")
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3][:12] + b"\x00garbage" + lines[3][20:]
    path.write_bytes(b"\n".join(lines))

    result = cora("review", "--data-dir", str(data_dir), cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    questions = orjson.loads(result.stdout)["questions"]
    assert [q["question"] for q in questions] == ["can you book me a flight to denver"]
    assert "1 session could not be read: see `cora fsck`" in result.stderr.decode()
