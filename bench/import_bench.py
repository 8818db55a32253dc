"""Importing a ChatGPT data export through the transfer service into the JSON store, in process.

    .venv/bin/python bench/import_bench.py

Target (contract 3.6): a conversations.json of 1,000 conversations of about 20 messages each
imports in at most 10 s, from the bytes of the file to the sessions stored.
"""

import asyncio
import random
import shutil
import tempfile
import time
from pathlib import Path

import orjson

from cora.services.sessions import Limits
from cora.services.transfer import TransferService
from cora.store.json_files import JsonFileStore

TARGET_SECONDS = 10.0
CONVERSATIONS = 1000
TURNS = 10  # a user message and an assistant reply each: about 20 messages
START = 1_690_000_000.0

WORDS = [
    *("claim", "policy", "deductible", "premium", "coverage", "windshield", "roof", "flood"),
    *("theft", "renters", "home", "auto", "agent", "payment", "invoice", "accident", "hail"),
    *("the", "a", "of", "to", "and", "is", "my", "your", "we", "can", "you", "it", "for", "on"),
    *("with", "under", "this", "that", "will", "be", "covered", "damage", "repair", "estimate"),
]


def prose(rng: random.Random, low: int, high: int) -> str:
    """Between `low` and `high` characters of words, in paragraphs."""
    target = rng.randint(low, high)
    words: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(WORDS)
        words.append(word + ("\n\n" if rng.random() < 0.02 else ""))
        size += len(word) + 1
    return " ".join(words).capitalize()


def node(node_id: str, parent: str | None, message: dict | None) -> dict:
    return {"id": node_id, "message": message, "parent": parent, "children": []}


def message(role: str, text: str, at: float, **metadata: object) -> dict:
    return {
        "id": f"m-{at}",
        "author": {"role": role, "name": None, "metadata": {}},
        "create_time": at,
        "update_time": None,
        "content": {"content_type": "text", "parts": [text]},
        "status": "finished_successfully",
        "end_turn": role == "assistant",
        "weight": 1.0,
        "metadata": {"model_slug": "gpt-4o", **metadata} if role == "assistant" else metadata,
        "recipient": "all",
        "channel": None,
    }


def conversation(number: int, rng: random.Random) -> dict:
    """A root, a hidden system message, then turns; some replies are regenerated (a branch)."""
    at = START + number * 3600
    mapping = {"root": node("root", None, None)}
    mapping["system"] = node(
        "system", "root", message("system", "", at, is_visually_hidden_from_conversation=True)
    )
    tip = "system"
    for turn in range(TURNS):
        at += rng.uniform(20, 300)
        user = f"u{turn}"
        mapping[user] = node(user, tip, message("user", prose(rng, 40, 400), at))
        if rng.random() < 0.15:
            abandoned = f"a{turn}-old"
            mapping[abandoned] = node(
                abandoned, user, message("assistant", prose(rng, 200, 1800), at + 5)
            )
        reply = f"a{turn}"
        mapping[reply] = node(reply, user, message("assistant", prose(rng, 300, 2500), at + 9))
        tip = reply
    for node_id, item in mapping.items():
        if item["parent"] is not None:
            mapping[item["parent"]]["children"].append(node_id)
    return {
        "id": f"conv-{number:05d}",
        "conversation_id": f"conv-{number:05d}",
        "title": prose(rng, 10, 40).split("\n")[0],
        "create_time": START + number * 3600,
        "update_time": at + 10,
        "current_node": tip,
        "mapping": mapping,
        "moderation_results": [],
        "is_archived": False,
    }


async def main() -> None:
    rng = random.Random(11)
    data = orjson.dumps([conversation(n, rng) for n in range(CONVERSATIONS)])
    workdir = Path(tempfile.mkdtemp(prefix="cora-import-bench-"))
    store = JsonFileStore(workdir)
    await store.open()
    try:
        service = TransferService(
            store, Limits(max_message_chars=100_000, max_metadata_bytes=16384)
        )
        start = time.perf_counter()
        result = await service.import_document(user_id="importer", data=data)
        seconds = time.perf_counter() - start
        assert len(result.imported) == CONVERSATIONS
        stored = [
            await store.get_session(user_id="importer", session_id=session_id)
            for session_id in result.imported
        ]
        messages = sum(len(session.messages) for session in stored)
        verdict = "PASS" if seconds <= TARGET_SECONDS else "MISS"
        print(
            f"ChatGPT import: {CONVERSATIONS:,} conversations, {messages:,} messages kept"
            f" ({messages / CONVERSATIONS:.1f} on average), {len(data) / 1e6:.1f} MB"
        )
        print(f"  import time: {seconds:6.2f} s  target <= {TARGET_SECONDS:.0f} s {verdict}")
    finally:
        await store.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
