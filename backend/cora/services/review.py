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
    regenerated decline is one question), with the turns the assistant saw before it. Nothing
    from before the session's last crisis line: a disclosure is not for a labeller's eyes, and
    a question before it may be one the crisis check missed."""
    seen = _after_last_crisis_line(messages)
    questions: dict[str, tuple[MessageRecord, list[MessageRecord]]] = {}  # with earlier turns
    replies: dict[str, list[MessageRecord]] = {}  # by question id: its finished replies
    turns: list[MessageRecord] = []  # user and assistant messages with text
    asked: MessageRecord | None = None
    for message in seen:
        if message.sender == "user":
            asked = message if message.text else None  # an empty one (an image, say) is no question
            if asked is not None:
                questions[asked.id] = (asked, turns[-HISTORY_TURNS:])
        elif _is_finished_reply(message) and asked is not None:
            replies.setdefault(asked.id, []).append(message)
        if message.sender in ("user", "assistant") and message.text:
            turns.append(message)
    picks = _picks(seen)
    items = (
        _item(*questions[question_id], answers, since=since, picks=picks)
        for question_id, answers in replies.items()
    )
    return [item for item in items if item is not None]


def _after_last_crisis_line(messages: Sequence[MessageRecord]) -> Sequence[MessageRecord]:
    crisis_lines = [i for i, m in enumerate(messages) if reply_kind(m.metadata) == "safety"]
    return messages[crisis_lines[-1] + 1 :] if crisis_lines else messages


def _is_finished_reply(message: MessageRecord) -> bool:
    """An assistant reply the user saw in full: not streaming, and with text (one that failed at
    once has none)."""
    return message.sender == "assistant" and message.status != "streaming" and bool(message.text)


def _item(
    question: MessageRecord,
    earlier: Sequence[MessageRecord],
    answers: Sequence[MessageRecord],
    *,
    since: datetime,
    picks: dict[str, str],
) -> dict[str, Any] | None:
    """The question as a test case to label, when a reply to it declined in the window or was
    rated down in it; what it was answered with and suggested is its latest reply's."""
    given = {reason for a in answers for reason in _reasons(a, since=since)}
    why = [reason for reason in REASONS if reason in given]
    if not why:
        return None
    latest = answers[-1]
    answered_with = latest.metadata.get("faq_id")
    return {
        "question": question.text,
        "expect": [],  # to fill in: the entry id that should answer, or "fallback"
        "history": [_turn(m) for m in earlier],
        "why": why,
        "replies": len(answers),
        "answered_with": answered_with if isinstance(answered_with, str) else None,
        "suggested": _strings(latest.metadata.get("suggestions")),
        "picked": next((picks[a.id] for a in reversed(answers) if a.id in picks), None),
        "comments": [a.feedback.comment for a in answers if a.feedback and a.feedback.comment],
        "at": format_timestamp(latest.timestamp),
    }


def _picks(messages: Sequence[MessageRecord]) -> dict[str, str]:
    """The entry the user chose after a decline, by the decline's id: their next message is one
    of its suggestions (the web app sends a suggestion's text as it is) and an entry answered it,
    with no thumbs down. A likely label for the question, for the labeller to check."""
    picks = {}
    for reply, chosen, answer in zip(messages, messages[1:], messages[2:], strict=False):
        entry_id = answer.metadata.get("faq_id")
        rated_down = answer.feedback is not None and answer.feedback.rating == "down"
        if (
            reply.sender == "assistant"
            and reply_kind(reply.metadata) == "declined"
            and chosen.sender == "user"
            and chosen.text in _strings(reply.metadata.get("suggestions"))
            and answer.sender == "assistant"
            and isinstance(entry_id, str)
            and not rated_down
        ):
            picks[reply.id] = entry_id
    return picks


def _strings(value: object) -> list[str]:
    """A metadata list of strings as it is; anything else (imported metadata of another
    shape) as no list."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return []


def _turn(message: MessageRecord) -> dict[str, str]:
    """A history turn as eval_cases.json writes it: an FAQ answer by its entry id (the loader
    puts in the entry's current text), anything else by its text."""
    faq_id = message.metadata.get("faq_id")
    if message.sender == "assistant" and isinstance(faq_id, str):
        return {"cora": faq_id}
    return {message.sender: message.text}


def _reasons(reply: MessageRecord, *, since: datetime) -> list[str]:
    """Why a reply is worth a look: it declined in the window, or the user rated it down in
    the window (a rating stored without its time counts from the reply's)."""
    reasons = []
    if reply_kind(reply.metadata) == "declined" and reply.timestamp >= since:
        reasons.append("declined")
    rated_at = reply.feedback_at or reply.timestamp
    if reply.feedback is not None and reply.feedback.rating == "down" and rated_at >= since:
        reasons.append("rated down")
    return reasons
