"""Export and import (contract 3.6), through the real app."""

import copy
import json
import uuid

import httpx
import orjson
import pytest
from markdown_it import MarkdownIt

from cora.config import Settings
from tests.conftest import app_client
from tests.factories import new_message, new_session

WINDSHIELD = "6650a1f2-1b2c-8000-9d3e-4f5a6b7c8d01"


async def create(client: httpx.AsyncClient, user: str = "alice", **body: object) -> dict:
    response = await client.post(f"/sessions/{user}", json=body or None)
    assert response.status_code == 201, response.text
    return response.json()


async def append(client: httpx.AsyncClient, session: dict, **message: object) -> dict:
    url = f"/sessions/{session['user_id']}/{session['session_id']}/messages"
    response = await client.post(url, json={"sender": "user", "text": "hi", **message})
    assert response.status_code == 201, response.text
    return response.json()


async def post_import(client: httpx.AsyncClient, body: object, user: str = "bob") -> httpx.Response:
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    return await client.post(
        f"/sessions/{user}/import", content=content, headers={"Content-Type": "application/json"}
    )


async def full_sessions(client: httpx.AsyncClient, user: str) -> list[dict]:
    response = await client.get(f"/sessions/{user}/export")
    assert response.status_code == 200, response.text
    return response.json()["sessions"]


async def assert_nothing_imported(client: httpx.AsyncClient, user: str = "bob") -> None:
    assert (await client.get(f"/sessions/{user}")).json()["sessions"] == []


# --- export --------------------------------------------------------------------------------


async def test_one_session_exports_as_a_json_download(client) -> None:
    session = await create(client, title="Claim", tags=["auto"])
    await append(client, session, text="My claim")
    url = f"/sessions/alice/{session['session_id']}"
    response = await client.get(f"{url}/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="cora-session-{session["session_id"]}.json"'
    )
    assert response.json() == (await client.get(url)).json()


async def test_one_session_exports_as_markdown(client) -> None:
    session = await create(client, tags=["home"])
    await append(client, session, text="Hail hit my roof", timestamp="2026-03-01T10:00:00Z")
    await append(client, session, sender="assistant", text="Sorry to hear that.")
    url = f"/sessions/alice/{session['session_id']}/export"
    response = await client.get(url, params={"format": "markdown"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["content-disposition"].endswith(f'{session["session_id"]}.md"')
    text = response.text
    assert text.startswith("# Hail hit my roof\n")
    assert "## user, 2026-03-01T10:00:00.000000Z\n\n```text\nHail hit my roof\n```" in text
    assert "## assistant, " in text and "- Tags: home" in text


HOSTILE = [
    "<script>alert('x')</script>",
    "[click me](javascript:alert(1)) and ![img](http://evil.example/a.png)",
    "---",
    "# not a heading\n\n***\n\n<img src=x onerror=alert(1)>",
    "```\nbreak out of the fence\n```\n<b>bold</b>",
    "````` five backticks `````` and six",
    "&lt;entity&gt; <!-- comment --> <https://autolink.example>",
]


async def test_a_markdown_export_keeps_hostile_text_inert(client) -> None:
    session = await create(
        client, title="<script>x</script> [t](http://e.example) *em* `c`", tags=["<b>t</b>"]
    )
    for text in HOSTILE:
        await append(client, session, text=text)
    url = f"/sessions/alice/{session['session_id']}/export"
    markdown = (await client.get(url, params={"format": "markdown"})).text
    tokens = MarkdownIt("commonmark").parse(markdown)
    assert [t.content for t in tokens if t.type == "fence"] == [f"{text}\n" for text in HOSTILE]
    inline = [child for t in tokens if t.type == "inline" for child in t.children or []]
    assert {child.type for child in inline} == {"text"}
    assert inline[0].content == "<script>x</script> [t](http://e.example) *em* `c`"
    assert {t.type for t in tokens} <= {
        "heading_open", "heading_close", "inline", "fence",
        "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close",
        "paragraph_open", "paragraph_close",
    }  # fmt: skip
    html = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in html and "<a " not in html and "<img" not in html
    assert "<hr" not in html and "<b>" not in html


async def test_export_of_a_missing_or_malformed_session(client) -> None:
    missing = await client.get(f"/sessions/alice/{uuid.uuid4()}/export")
    assert missing.status_code == 404 and missing.json()["detail"]
    malformed = await client.get("/sessions/alice/not-a-uuid/export")
    assert malformed.status_code == 422
    session = await create(client)
    wrong = await client.get(
        f"/sessions/alice/{session['session_id']}/export", params={"format": "pdf"}
    )
    assert wrong.status_code == 422


async def test_export_all_is_a_download_not_a_session_id(client) -> None:
    response = await client.get("/sessions/alice/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="cora-sessions-alice.json"'
    )
    assert response.json() == {
        "format": "cora-sessions",
        "version": 1,
        "sessions": [],
        "unreadable": [],
    }


async def test_export_all_pages_through_every_session(client, store) -> None:
    sessions = [new_session(messages=(new_message("hi"),)) for _ in range(205)]
    await store.create_sessions(sessions=sessions)
    await store.create_sessions(sessions=[new_session("carol")])
    exported = await full_sessions(client, "alice")
    assert len(exported) == 205
    assert {s["session_id"] for s in exported} == {s.session_id for s in sessions}
    assert [s["updated_at"] for s in exported] == sorted(
        (s["updated_at"] for s in exported), reverse=True
    )
    assert all(s["messages"][0]["text"] == "hi" for s in exported)


# --- round trip and duplicates -------------------------------------------------------------


async def alice_sessions(client: httpx.AsyncClient) -> None:
    titled = await create(
        client, title="Claim 42", tags=["auto", "glass"], metadata={"channel": "web", "n": [1]}
    )
    await append(client, titled, text="Windshield", timestamp="2025-01-02T03:04:05.678901Z")
    await append(client, titled, sender="assistant", text="Covered.", metadata={"faq_id": 7})
    await append(client, titled, sender="system", text="Handed to an agent")
    untitled = await create(client)
    await append(client, untitled, text="\n  Flood in the basement  \nDetails")
    await create(client, tags=["empty"])


def without_ids(session: dict) -> dict:
    same = {k: v for k, v in session.items() if k not in ("session_id", "user_id", "metadata")}
    same["metadata"] = {k: v for k, v in session["metadata"].items() if k != "imported_from"}
    same["messages"] = [{k: v for k, v in m.items() if k != "id"} for m in session["messages"]]
    return same


async def test_an_export_imported_elsewhere_gives_equal_sessions(client) -> None:
    await alice_sessions(client)
    export = (await client.get("/sessions/alice/export")).content
    response = await post_import(client, export, user="bob")
    assert response.status_code == 201, response.text
    originals = await full_sessions(client, "alice")
    copies = await full_sessions(client, "bob")
    # Same timestamps, so the same order: the export's, most recently updated first.
    assert response.json() == {"imported": [s["session_id"] for s in copies], "skipped": []}
    by_source = {s["metadata"]["imported_from"]: s for s in copies}
    assert set(by_source) == {s["session_id"] for s in originals}
    for original in originals:
        copy_ = by_source[original["session_id"]]
        assert without_ids(copy_) == without_ids(original)
        assert copy_["user_id"] == "bob" and copy_["session_id"] != original["session_id"]
        original_ids = {m["id"] for m in original["messages"]}
        assert not original_ids & {m["id"] for m in copy_["messages"]}
    assert [s["title"] for s in copies].count("Flood in the basement") == 1


async def test_a_round_trip_keeps_replies_ended_early_feedback_and_the_flags(client) -> None:
    """A backup is whole: how each reply ended (a failed one with no text too), its rating,
    pinned and archived, and metadata at the limit (the source id added on import is not held
    to it)."""
    at_the_limit = {"blob": "x" * (16_384 - len('{"blob":""}'))}
    session = await create(client, title="Ended early", metadata=at_the_limit)
    url = f"/sessions/alice/{session['session_id']}"
    down = {"rating": "down", "comment": "Cut off"}
    messages = [
        {"sender": "user", "text": "Is hail covered?"},
        {"sender": "assistant", "text": "", "status": "failed"},
        {"sender": "assistant", "text": "Hail is", "status": "stopped", "feedback": down},
        {"sender": "assistant", "text": "Yes, if", "status": "interrupted"},
    ]
    assert (await client.put(url, json={"messages": messages})).status_code == 200
    assert (await client.patch(url, json={"pinned": True, "archived": True})).status_code == 200
    original = (await client.get(url)).json()
    export = (await client.get("/sessions/alice/export")).content

    response = await post_import(client, export, user="bob")

    assert response.status_code == 201, response.text
    (imported,) = response.json()["imported"]
    copy_ = (await client.get(f"/sessions/bob/{imported}")).json()
    assert without_ids(copy_) == without_ids(original)
    assert [m["status"] for m in copy_["messages"]] == [
        "complete",
        "failed",
        "stopped",
        "interrupted",
    ]
    assert copy_["messages"][2]["feedback"] == down
    assert copy_["pinned"] is True and copy_["archived"] is True


async def test_a_reply_being_written_when_the_backup_was_made_is_imported_interrupted(
    client,
) -> None:
    partial = archived_message(sender="assistant", text="Hail is", status="streaming")
    response = await post_import(client, archive(archived_session(archived_message(), partial)))
    assert response.status_code == 201, response.text
    (imported,) = response.json()["imported"]
    stored = (await client.get(f"/sessions/bob/{imported}")).json()["messages"]
    assert [(m["text"], m["status"]) for m in stored] == [
        ("hello", "complete"),
        ("Hail is", "interrupted"),
    ]


async def test_a_derived_title_stays_derived_after_a_round_trip(client) -> None:
    untitled = await create(client)
    await append(client, untitled, text="First question")
    export = (await client.get("/sessions/alice/export")).content
    imported = (await post_import(client, export)).json()["imported"][0]
    replaced = await client.put(
        f"/sessions/bob/{imported}", json={"messages": [{"sender": "user", "text": "Other"}]}
    )
    assert replaced.json()["title"] == "Other"


async def test_importing_the_same_export_twice_creates_no_duplicates(client) -> None:
    await alice_sessions(client)
    export = (await client.get("/sessions/alice/export")).content
    first = (await post_import(client, export)).json()
    second = await post_import(client, export)
    assert second.status_code == 201
    sources = [s["session_id"] for s in await full_sessions(client, "alice")]
    assert second.json() == {"imported": [], "skipped": sources}
    assert len(await full_sessions(client, "bob")) == len(first["imported"]) == 3


async def test_importing_an_export_into_its_own_user_skips_every_session(client) -> None:
    await alice_sessions(client)
    export = (await client.get("/sessions/alice/export")).content
    response = await post_import(client, export, user="alice")
    assert response.json()["imported"] == [] and len(response.json()["skipped"]) == 3
    assert len(await full_sessions(client, "alice")) == 3


async def test_a_deleted_session_comes_back_from_a_backup(client) -> None:
    await alice_sessions(client)
    export = (await client.get("/sessions/alice/export")).content
    gone = (await full_sessions(client, "alice"))[0]
    await client.delete(f"/sessions/alice/{gone['session_id']}")
    result = (await post_import(client, export, user="alice")).json()
    assert len(result["imported"]) == 1 and len(result["skipped"]) == 2
    restored = await client.get(f"/sessions/alice/{result['imported'][0]}")
    assert without_ids(restored.json()) == without_ids(gone)


async def test_a_source_twice_in_one_document_is_imported_once(client, chatgpt_export) -> None:
    conversations = orjson.loads(chatgpt_export)
    response = await post_import(client, [conversations[0], conversations[0]])
    assert len(response.json()["imported"]) == 1
    assert response.json()["skipped"] == [WINDSHIELD]


# --- ChatGPT -------------------------------------------------------------------------------


async def test_a_chatgpt_export_imports_the_current_branch(client, chatgpt_export) -> None:
    response = await post_import(client, chatgpt_export)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["skipped"] == [] and len(result["imported"]) == 3
    sessions = {s["metadata"]["imported_from"]: s for s in await full_sessions(client, "bob")}
    assert list(sessions) == [WINDSHIELD, "conv-untitled", "conv-without-current-node"]
    windshield = sessions[WINDSHIELD]
    assert windshield["session_id"] == result["imported"][0]
    assert windshield["title"] == "Cracked windshield claim"
    assert (windshield["created_at"], windshield["updated_at"]) == (
        "2024-05-31T16:08:20.123456Z",
        "2024-05-31T16:18:20.654321Z",
    )
    assert [(m["sender"], m["text"], m["timestamp"]) for m in windshield["messages"]] == [
        (
            "user",
            "My windshield cracked on the highway yesterday.\nIs that covered by my auto policy?",
            "2024-05-31T16:08:21.500000Z",
        ),
        (
            "assistant",
            "Usually, yes: glass damage falls under **comprehensive** coverage.\n\n---\n\n"
            "Check your deductible first.",
            "2024-05-31T16:08:26.750000Z",
        ),
        (
            "user",
            "Here is a photo of the damage. How do I file a claim?",
            "2024-05-31T16:13:20.000000Z",
        ),
        (
            "assistant",
            "To file a claim:\n1. Take photos <like this one>.\n2. Call the claims line.",
            "2024-05-31T16:13:30.500000Z",
        ),
    ]
    assert windshield["messages"][3]["metadata"] == {"model": "gpt-4o-2024-05-13"}
    assert windshield["messages"][0]["metadata"] == {}
    assert windshield["metadata"] == {"imported_from": WINDSHIELD}


async def test_without_current_node_the_newest_leaf_is_kept(client, chatgpt_export) -> None:
    await post_import(client, chatgpt_export)
    sessions = {s["metadata"]["imported_from"]: s for s in await full_sessions(client, "bob")}
    deductibles = sessions["conv-without-current-node"]
    assert [(m["sender"], m["text"]) for m in deductibles["messages"]] == [
        ("user", "What is a deductible?"),
        ("assistant", "The amount you pay before the insurer pays."),
    ]
    untitled = sessions["conv-untitled"]
    assert untitled["title"] == "Hail damage on my roof"
    assert [m["timestamp"] for m in untitled["messages"]] == ["2023-11-14T22:13:20.000000Z"] * 2
    assert untitled["created_at"] == untitled["updated_at"] == "2023-11-14T22:13:20.000000Z"


async def test_a_chatgpt_export_imported_twice_is_skipped(client, chatgpt_export) -> None:
    await post_import(client, chatgpt_export)
    again = await post_import(client, chatgpt_export)
    assert again.status_code == 201
    assert again.json() == {
        "imported": [],
        "skipped": [WINDSHIELD, "conv-without-current-node", "conv-untitled"],
    }
    assert len(await full_sessions(client, "bob")) == 3


def windshield(chatgpt_export: bytes) -> list[dict]:
    return copy.deepcopy(orjson.loads(chatgpt_export))


NODE = "c3d4e5f6-0000-4000-8000-000000000004"
OLD_ANSWER = "d4e5f6a7-0000-4000-8000-000000000005"  # regenerated away: not on the kept branch
OLD_FOLLOW_UP = "f6a7b8c9-0000-4000-8000-000000000007"


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (
            lambda c: c[2]["mapping"]["root-3"].update(parent="a-3-1"),
            "conversation at index 2 (id 'conv-untitled'): the parents of node 'root-3' form"
            " a cycle: 'root-3' -> 'a-3-1' -> 'a-3-empty' -> 'u-3-1' -> 'root-3'",
        ),
        (
            lambda c: c[2]["mapping"]["u-3-1"].update(parent="u-3-1"),
            "the parents of node 'u-3-1' form a cycle: 'u-3-1' -> 'u-3-1'",
        ),
        (
            lambda c: c[0]["mapping"][OLD_ANSWER].update(parent=OLD_FOLLOW_UP),
            f"the parents of node '{OLD_ANSWER}' form a cycle: '{OLD_ANSWER}' ->"
            f" '{OLD_FOLLOW_UP}' -> '{OLD_ANSWER}'",
        ),
        (
            lambda c: c[0]["mapping"][NODE].update(parent="qq"),
            f"conversation at index 0 (id '{WINDSHIELD}'): node '{NODE}' names parent 'qq'"
            " which is not in mapping",
        ),
        (
            lambda c: c[1]["mapping"]["u-2-1"]["children"].append("gone"),
            "conversation at index 1 (id 'conv-without-current-node'): node 'u-2-1' names"
            " child 'gone' which is not in mapping",
        ),
        (
            lambda c: c[2].update(current_node="nowhere"),
            "conversation at index 2 (id 'conv-untitled'): current_node 'nowhere' is not in"
            " mapping",
        ),
        (
            lambda c: c[1]["mapping"]["u-2-1"]["message"]["author"].update(role=3),
            "conversation at index 1 (id 'conv-without-current-node'):"
            " mapping.u-2-1.message.author.role: Input should be a valid string",
        ),
        (
            lambda c: c[2].update(mapping=[]),
            "conversation at index 2 (id 'conv-untitled'): mapping: Input should be a valid"
            " dictionary",
        ),
        (
            lambda c: c[2]["mapping"]["u-3-1"]["message"].update(create_time="yesterday"),
            "mapping.u-3-1.message.create_time: Input should be a valid number",
        ),
        (
            lambda c: c[2]["mapping"]["u-3-1"]["message"].update(create_time=1e20),
            "node 'u-3-1': create_time 1e+20 is not a time between the years 1 and 9999",
        ),
        (
            lambda c: c[2]["mapping"]["u-3-1"]["message"]["content"].update(parts=["a\x00b"]),
            "conversation at index 2 (id 'conv-untitled'), node 'u-3-1': text: must not"
            " contain NUL characters",
        ),
        (lambda c: c[2].pop("id"), "conversation at index 2: has neither `id` nor"),
        (lambda c: c.append("text"), "conversation at index 3: must be a JSON object"),
    ],
    ids=[
        "cycle",
        "own parent",
        "cycle off the kept branch",
        "missing parent",
        "missing child",
        "missing current node",
        "role not a string",
        "mapping not an object",
        "create_time not a number",
        "create_time out of range",
        "NUL in text",
        "no id",
        "not an object",
    ],
)
async def test_an_invalid_chatgpt_export_is_422_and_imports_nothing(
    client, chatgpt_export, breakage, expected
) -> None:
    conversations = windshield(chatgpt_export)
    breakage(conversations)
    response = await post_import(client, conversations)
    assert response.status_code == 422
    assert expected in response.json()["detail"]
    await assert_nothing_imported(client)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"this is not json", "The document is not valid JSON"),
        (b'{"format": "cora-sessions", "version": 1, "sessions": [', "not valid JSON"),
        (b'"\\ud800"', "not valid JSON"),
        (b"", "not valid JSON"),
        (b"{}", "neither a cora-sessions export"),
        (b'{"format": "other", "sessions": []}', "neither a cora-sessions export"),
        (b"42", "neither"),
        (b'{"format": "cora-sessions", "version": 2, "sessions": []}', "version 2"),
        (b'{"format": "cora-sessions", "version": "1", "sessions": []}', "version '1'"),
        (b'{"format": "cora-sessions", "version": 1, "sessions": {}}', "must be a list"),
        (
            b'{"format": "cora-sessions", "version": 1, "sessions": [{"session_id": "x"}]}',
            "session at index 0 (id 'x'): session_id: String should match pattern",
        ),
        (b'["\\ud83d"]', "unpaired surrogate"),
        (b'["\\ude00\\ud83d"]', "unpaired surrogate"),
        (
            b'{"format": "cora-sessions", "version": 1, "sessions": [], "sessions": []}',
            "`sessions` appears more than once",
        ),
        (b'{"format": "cora-sessions", "version": 1}', "must be a list"),
    ],
    ids=[
        "text",
        "truncated",
        "lone surrogate",
        "empty",
        "empty object",
        "other format",
        "number",
        "version 2",
        "version as text",
        "sessions not a list",
        "bad session",
        "high surrogate alone",
        "low surrogate first",
        "sessions twice",
        "no sessions",
    ],
)
async def test_a_body_of_neither_format_is_422(client, body, expected) -> None:
    response = await post_import(client, body)
    assert response.status_code == 422
    assert expected in response.json()["detail"]
    await assert_nothing_imported(client)


def archive(*sessions: dict) -> dict:
    return {"format": "cora-sessions", "version": 1, "sessions": list(sessions)}


def archived_session(*messages: dict, **fields: object) -> dict:
    return {
        "session_id": str(uuid.uuid4()),
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-02T00:00:00Z",
        "messages": list(messages),
        **fields,
    }


def archived_message(**fields: object) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "sender": "user",
        "text": "hello",
        "timestamp": "2026-01-01T00:00:01Z",
        **fields,
    }


async def test_a_bad_session_anywhere_in_an_archive_imports_nothing(client) -> None:
    good = archived_session(archived_message())
    repeated = archived_message()
    cases = {
        "duplicate message ids": (archived_session(repeated, repeated), "appears more than once"),
        "naive timestamp": (
            archived_session(archived_message(timestamp="2026-01-01T00:00:00")),
            "messages.0.timestamp",
        ),
        "empty text": (archived_session(archived_message(text="")), "text must not be empty"),
        "feedback on a user message": (
            archived_session(archived_message(feedback={"rating": "up"})),
            "only assistant messages take feedback",
        ),
        "a user message ended early": (
            archived_session(archived_message(status="stopped")),
            "only assistant messages end other than complete",
        ),
        "NUL in a title": (archived_session(title="a\x00b"), "title: must not contain NUL"),
        "unknown sender": (archived_session(archived_message(sender="bot")), "sender"),
        "archived as text": (archived_session(archived="true"), "archived"),
    }
    for name, (bad, expected) in cases.items():
        response = await post_import(client, archive(good, bad))
        assert response.status_code == 422, name
        assert "session at index 1" in response.json()["detail"], name
        assert expected in response.json()["detail"], name
    await assert_nothing_imported(client)


async def test_imported_texts_and_metadata_obey_the_api_limits(client) -> None:
    too_long = archived_session(archived_message(text="x" * 100_001))
    response = await post_import(client, archive(archived_session(), too_long))
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"session at index 1 (id '{too_long['session_id']}'), message at index 0: text has"
        " 100001 characters; the limit is 100000"
    )
    big = {"blob": "x" * 16_400}
    for bad in (
        archived_session(archived_message(metadata=big)),
        archived_session(metadata=big),
    ):
        response = await post_import(client, archive(bad))
        assert response.status_code == 413
        assert "metadata is" in response.json()["detail"]
    await assert_nothing_imported(client)


async def test_an_imported_chatgpt_text_over_the_limit_is_413(client, chatgpt_export) -> None:
    conversations = windshield(chatgpt_export)
    conversations[2]["mapping"]["a-3-1"]["message"]["content"]["parts"] = ["y" * 100_001]
    response = await post_import(client, conversations)
    assert response.status_code == 413
    assert "node 'a-3-1': text has 100001 characters" in response.json()["detail"]
    await assert_nothing_imported(client)


def big_chatgpt_export(conversations: int, text_chars: int) -> bytes:
    body = []
    for number in range(conversations):
        mapping: dict = {"root": {"id": "root", "message": None, "parent": None, "children": []}}
        parent = "root"
        for turn in range(10):
            node = f"n{turn}"
            mapping[parent]["children"].append(node)
            mapping[node] = {
                "id": node,
                "message": {
                    "author": {"role": "user" if turn % 2 == 0 else "assistant"},
                    "content": {"content_type": "text", "parts": [f"{turn} " + "z" * text_chars]},
                    "create_time": 1700000000.0 + turn,
                    "metadata": {},
                },
                "parent": parent,
                "children": [],
            }
            parent = node
        body.append({"id": f"big-{number}", "title": f"Big {number}", "mapping": mapping})
    return orjson.dumps(body)


async def test_a_50_mb_import_is_handled(client) -> None:
    body = big_chatgpt_export(250, 20_000)
    assert len(body) > 50_000_000
    response = await post_import(client, body)
    assert response.status_code == 201, response.text[:500]
    assert len(response.json()["imported"]) == 250
    first = await client.get(f"/sessions/bob/{response.json()['imported'][0]}")
    assert first.json()["message_count"] == 10


async def test_a_50_mb_import_over_a_lower_limit_is_413(tmp_path, stores) -> None:
    settings = Settings(data_dir=tmp_path, auth="none", max_import_bytes=10_000_000)
    body = big_chatgpt_export(250, 20_000)
    async with app_client(settings, stores) as client:
        response = await post_import(client, body)
        assert response.status_code == 413
        assert "limit of 10000000 bytes" in response.json()["detail"]
        await assert_nothing_imported(client)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/sessions/alice/export", "GET"),
        ("DELETE", "/sessions/alice/export", "GET"),
        ("POST", "/sessions/alice/export", "GET"),
        ("GET", "/sessions/alice/import", "POST"),
        ("PATCH", "/sessions/alice/import", "POST"),
        ("OPTIONS", "/sessions/alice/import", "POST"),
    ],
)
async def test_other_methods_on_export_and_import_are_405(client, method, path, allowed) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.json() == {"detail": "Method Not Allowed"}


async def test_escaped_characters_and_pairs_arrive_intact(client) -> None:
    text = "Glass \U0001f697 claim, caf\u00e9, a backslash \\ud83d that is text"
    session = archived_session(archived_message(text=text))
    body = json.dumps(archive(session), ensure_ascii=True).encode()
    assert b"\\ud83d\\ude97" in body  # the car as an escaped surrogate pair
    response = await post_import(client, body)
    assert response.status_code == 201, response.text
    [stored] = await full_sessions(client, "bob")
    assert stored["messages"][0]["text"] == text


async def test_a_number_too_large_to_store_is_422(client) -> None:
    session = archived_session(archived_message(), metadata={"n": 0})
    body = orjson.dumps(archive(session)).replace(b'"n":0', b'"n":123456789012345678901234567890')
    response = await post_import(client, body)
    assert response.status_code == 422
    assert "integer overflow" in response.json()["detail"]
    await assert_nothing_imported(client)
