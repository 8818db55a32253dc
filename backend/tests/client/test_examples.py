"""The README's examples (`examples/*.py`) run against a real `cora serve`, in both auth modes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.client.conftest import PASSWORD, Account

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def run_example(name: str, account: Account) -> str:
    env = {**os.environ, "CORA_URL": account.server.url}
    if account.mode == "local":
        env |= {"CORA_USERNAME": account.username, "CORA_PASSWORD": PASSWORD}
    else:
        env["CORA_USER_ID"] = account.user_id
    run = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return run.stdout


def test_the_chat_script(account: Account) -> None:
    out = run_example("chat_with_cora.py", account)
    lines = out.splitlines()
    assert lines[0].startswith("Cora: ") and "deductible" in lines[0].lower()
    assert "[user] What is a deductible?" in lines
    assert "[user] How do I file a claim?" in lines
    assert "[user] Thanks, that is all." in lines
    assert sum(line.startswith("[assistant] ") for line in lines) == 2
    assert lines[-1].startswith("NotFound 404: Session 00000000-")
    with account.client() as cora:
        (session,) = cora.list_sessions(account.user_id).sessions
    assert session.message_count == 5 and session.tags == ["example"]


def test_the_langchain_memory(account: Account) -> None:
    out = run_example("langchain_memory.py", account)
    assert "bot: Your name is Sam." in out
    with account.client() as cora:
        (summary,) = cora.list_sessions(account.user_id).sessions
        stored = cora.get_session(account.user_id, summary.session_id).messages
    assert [(m.sender, m.text) for m in stored] == [
        ("user", "Hi, I am Sam."),
        ("assistant", "Hello Sam! How can I help with your policy?"),
        ("user", "What is my name?"),
        ("assistant", "Your name is Sam."),
    ]
    assert out.rstrip().endswith("assistant: Your name is Sam.")


@pytest.mark.parametrize("name", ["chat_with_cora.py", "langchain_memory.py"])
def test_the_readme_shows_the_examples_as_they_are(name: str) -> None:
    text = (EXAMPLES / name).read_text()
    for doc in ("README.md", "docs/python-client.md"):
        assert text in (EXAMPLES.parent / doc).read_text(), f"{doc} differs from {name}"
