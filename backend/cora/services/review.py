"""The questions an operator should look at: those Cora declined or whose reply the user rated
down.

Each comes once, with the turns before it, in the shape of an item of `eval_cases.json`
(`question`, `expect`, `history`), so that it can be labelled and added to the assistant's test
data: customers' own wording, which the team-written sets only imitate.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cora.domain import MessageRecord, reply_kind
from cora.errors import SessionCorrupt, SessionNotFound
from cora.store.base import SessionStore
from cora.timeutil import format_timestamp

logger = logging.getLogger(__name__)

HISTORY_TURNS = 4  # the turns kept before the question: enough for a follow-up's context
REASONS = ("declined", "rated down")


@dataclass
class Review:
    """The questions to look at, and how many sessions could not be read (`cora fsck` tells)."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    unreadable: int = 0


async def questions_to_review(store: SessionStore, *, since: datetime) -> Review:
    """Every question with a reply since `since` that declined or was rated down, oldest
    session first."""
    review = Review()
    for user_id, session_id in await store.sessions_updated_since(since=since):
        try:
            session = await store.get_session(user_id=user_id, session_id=session_id)
        except SessionNotFound:
            continue  # deleted since it was listed
        except SessionCorrupt:
            logger.warning("session %s could not be read; left out of the review", session_id)
            review.unreadable += 1
            continue
        review.questions += review_items(session.messages, since=since)
    return review


def review_items(messages: Sequence[MessageRecord], *, since: datetime) -> list[dict[str, Any]]:
    """The questions of one session to look at, each once however many replies it had (a
    regenerated decline is one question), with the turns the assistant saw before it."""
    items: dict[str, dict[str, Any]] = {}
    turns: list[MessageRecord] = []  # the turns the assistant saw, since the last crisis line
    asked: int | None = None  # where the last user message is in `turns`
    picks = _picks(messages)
    for message in messages:
        reasons = _reasons(message)
        if reasons and asked is not None and message.timestamp >= since:
            question = turns[asked]
            if question.id not in items:
                earlier = turns[max(0, asked - HISTORY_TURNS) : asked]
                items[question.id] = _item(question, earlier)
            _add_reply(items[question.id], message, reasons, picks.get(message.id))
        if reply_kind(message.metadata) == "safety":
            turns, asked = [], None  # a crisis disclosed before it is not for a labeller's eyes
        elif message.sender in ("user", "assistant") and message.text:
            turns.append(message)  # a reply with no text (failed at once) was never seen
            if message.sender == "user":
                asked = len(turns) - 1
    return list(items.values())


def _item(question: MessageRecord, earlier: Sequence[MessageRecord]) -> dict[str, Any]:
    return {
        "question": question.text,
        "expect": [],  # to fill in: the entry id that should answer, or "fallback"
        "history": [_turn(m) for m in earlier],
        "why": [],
        "replies": 0,
        "answered_with": None,
        "suggested": [],
        "picked": None,
        "comments": [],
        "at": None,
    }


def _add_reply(
    item: dict[str, Any], reply: MessageRecord, reasons: list[str], picked: str | None
) -> None:
    """Count a reply to the item's question; what it answered and suggested is the latest's."""
    item["why"] = [reason for reason in REASONS if reason in item["why"] or reason in reasons]
    item["replies"] += 1
    item["answered_with"] = reply.metadata.get("faq_id")
    item["suggested"] = reply.metadata.get("suggestions", [])
    item["picked"] = picked or item["picked"]
    if reply.feedback is not None and reply.feedback.comment:
        item["comments"].append(reply.feedback.comment)
    item["at"] = format_timestamp(reply.timestamp)


def _picks(messages: Sequence[MessageRecord]) -> dict[str, str]:
    """The entry the user chose after a decline, by the decline's id: their next message is one
    of its suggestions (the web app sends a suggestion's text as it is) and an entry answered it.
    A likely label for the question, for the labeller to check."""
    picks = {}
    for reply, chosen, answer in zip(messages, messages[1:], messages[2:], strict=False):
        suggestions, entry_id = reply.metadata.get("suggestions"), answer.metadata.get("faq_id")
        if (
            reply.sender == "assistant"
            and reply_kind(reply.metadata) == "declined"
            and isinstance(suggestions, list)
            and chosen.sender == "user"
            and chosen.text in suggestions
            and answer.sender == "assistant"
            and isinstance(entry_id, str)
        ):
            picks[reply.id] = entry_id
    return picks


def _turn(message: MessageRecord) -> dict[str, str]:
    """A history turn as eval_cases.json writes it: an FAQ answer by its entry id (the loader
    puts in the entry's current text), anything else by its text."""
    faq_id = message.metadata.get("faq_id")
    if message.sender == "assistant" and isinstance(faq_id, str):
        return {"cora": faq_id}
    return {message.sender: message.text}


def _reasons(reply: MessageRecord) -> list[str]:
    """Why a finished assistant reply is worth a look: none for a crisis line (not material
    for test data), nor for an answer the user did not rate down."""
    kind = reply_kind(reply.metadata)
    if reply.sender != "assistant" or reply.status == "streaming" or kind == "safety":
        return []
    rated_down = reply.feedback is not None and reply.feedback.rating == "down"
    return [
        reason for reason, yes in zip(REASONS, (kind == "declined", rated_down), strict=True) if yes
    ]
