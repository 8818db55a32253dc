"""Export and import through the client (contract 3.6), in auth modes `local` and `none`."""

import pytest

from cora.client import CoraClient, ValidationFailed
from cora.schemas import ImportResult, SessionsExport
from tests.client.conftest import Account, new_account


def test_export_one_session_as_json_and_markdown(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id, title="Hail", tags=["home"]).session_id
    cora.append_message(account.user_id, sid, "user", "Hail hit my roof")
    assert cora.export_session(account.user_id, sid) == cora.get_session(account.user_id, sid)
    markdown = cora.export_markdown(account.user_id, sid)
    assert "Hail" in markdown and "Hail hit my roof" in markdown


def test_export_everything_and_import_it_elsewhere_once(cora: CoraClient, account: Account) -> None:
    sids = [cora.create_session(account.user_id, title=f"s{i}").session_id for i in range(2)]
    cora.append_message(account.user_id, sids[0], "user", "kept")
    backup = cora.export_sessions(account.user_id)
    assert isinstance(backup, SessionsExport)
    assert sorted(s.session_id for s in backup.sessions) == sorted(sids)
    other = new_account(account.server, account.mode)
    with other.client() as theirs:
        first = theirs.import_sessions(other.user_id, backup)
        assert isinstance(first, ImportResult) and len(first.imported) == 2
        again = theirs.import_sessions(other.user_id, backup.model_dump_json().encode())
        assert again.imported == [] and sorted(again.skipped) == sorted(sids)
        titles = sorted(s.title or "" for s in theirs.iter_sessions(other.user_id))
    assert titles == ["s0", "s1"]


def test_a_chatgpt_export_and_an_invalid_document(cora: CoraClient, account: Account) -> None:
    conversation = {
        "id": "conv-1",
        "title": "From ChatGPT",
        "create_time": 1_700_000_000.0,
        "update_time": 1_700_000_100.0,
        "current_node": "b",
        "mapping": {
            "root": {"id": "root", "message": None, "parent": None, "children": ["a"]},
            "a": {
                "id": "a",
                "parent": "root",
                "children": ["b"],
                "message": {
                    "id": "a",
                    "author": {"role": "user"},
                    "create_time": 1_700_000_000.0,
                    "content": {"content_type": "text", "parts": ["Hello"]},
                },
            },
            "b": {
                "id": "b",
                "parent": "a",
                "children": [],
                "message": {
                    "id": "b",
                    "author": {"role": "assistant"},
                    "create_time": 1_700_000_100.0,
                    "content": {"content_type": "text", "parts": ["Hi there"]},
                },
            },
        },
    }
    result = cora.import_sessions(account.user_id, [conversation])
    (sid,) = result.imported
    session = cora.get_session(account.user_id, sid)
    assert [(m.sender, m.text) for m in session.messages] == [
        ("user", "Hello"),
        ("assistant", "Hi there"),
    ]
    assert session.metadata["imported_from"] == "conv-1"
    with pytest.raises(ValidationFailed):
        cora.import_sessions(account.user_id, {"format": "something else"})
