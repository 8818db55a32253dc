"""The replies an operator should look at: declines and replies users rated down.

Each comes with the question that led to it and the turns before, in the shape of an item of
`eval_cases.json` (`question`, `expect`, `history`), so that it can be labelled and added to the
assistant's test data: customers' own wording, which the team-written sets only imitate.
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


@dataclass
class Review:
    """The replies to look at, and how many sessions could not be read (`cora fsck` tells)."""

    replies: list[dict[str, Any]] = field(default_factory=list)
    unreadable: int = 0


async def replies_to_review(store: SessionStore, *, since: datetime) -> Review:
    """Every reply since `since` that declined or was rated down, oldest session first."""
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
        review.replies += review_items(session.messages, since=since)
    return review


def review_items(messages: Sequence[MessageRecord], *, since: datetime) -> list[dict[str, Any]]:
    """The replies of one session to look at, each with the question it answered."""
    items = []
    for position, reply in enumerate(messages):
        why = _why(reply)
        if why is None or reply.timestamp < since:
            continue
        turns = _turns_seen(messages[:position])
        asked = max((i for i, m in enumerate(turns) if m.sender == "user"), default=None)
        if asked is None:
            continue  # a reply to nothing a user wrote (an imported session, say)
        earlier = turns[max(0, asked - HISTORY_TURNS) : asked]
        items.append(_item(turns[asked], earlier, reply, why))
    return items


def _turns_seen(messages: Sequence[MessageRecord]) -> list[MessageRecord]:
    """The turns the assistant was given (user and assistant, with text), none from before the
    last crisis line: a crisis disclosed there is not for a labeller's eyes."""
    turns: list[MessageRecord] = []
    for message in messages:
        if reply_kind(message.metadata) == "safety":
            turns = []
        elif message.sender in ("user", "assistant") and message.text:
            turns.append(message)
    return turns


def _item(
    question: MessageRecord, earlier: Sequence[MessageRecord], reply: MessageRecord, why: str
) -> dict[str, Any]:
    return {
        "question": question.text,
        "expect": [],  # to fill in: the entry id that should answer, or "fallback"
        "history": [_turn(m) for m in earlier],
        "why": why,
        "answered_with": reply.metadata.get("faq_id"),
        "suggested": reply.metadata.get("suggestions", []),
        "comment": reply.feedback.comment if reply.feedback else None,
        "at": format_timestamp(reply.timestamp),
    }


def _turn(message: MessageRecord) -> dict[str, str]:
    """A history turn as eval_cases.json writes it: an FAQ answer by its entry id (the loader
    puts in the entry's current text), anything else by its text."""
    faq_id = message.metadata.get("faq_id")
    if message.sender == "assistant" and isinstance(faq_id, str):
        return {"cora": faq_id}
    return {message.sender: message.text}


def _why(reply: MessageRecord) -> str | None:
    kind = reply_kind(reply.metadata)
    if reply.sender != "assistant" or reply.status == "streaming" or kind == "safety":
        return None  # a crisis line is not material for test data
    if reply.feedback is not None and reply.feedback.rating == "down":
        return "rated down"
    return "declined" if kind == "declined" else None
