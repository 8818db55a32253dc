"""The replies an operator should look at: declines and replies users rated down.

Each comes with the question that led to it and the turns before, in the shape of an item of
`eval_cases.json` (`question`, `expect`, `history`), so that it can be labelled and added to the
assistant's test data: customers' own wording, which the team-written sets only imitate.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from cora.domain import MessageRecord
from cora.errors import SessionNotFound
from cora.store.base import SessionStore
from cora.timeutil import format_timestamp

HISTORY_TURNS = 4  # the turns kept before the question: enough for a follow-up's context


async def replies_to_review(
    store: SessionStore, *, since: datetime
) -> AsyncIterator[dict[str, Any]]:
    """Every reply since `since` that declined or was rated down, oldest session first."""
    for user_id, session_id in await store.sessions_updated_since(since=since):
        try:
            session = await store.get_session(user_id=user_id, session_id=session_id)
        except SessionNotFound:
            continue  # deleted since it was listed
        for item in review_items(session.messages, since=since):
            yield item


def review_items(messages: Sequence[MessageRecord], *, since: datetime) -> list[dict[str, Any]]:
    """The replies of one session to look at, each with the question it answered."""
    items = []
    for position, reply in enumerate(messages):
        why = _why(reply)
        if why is None or reply.timestamp < since:
            continue
        turns = [m for m in messages[:position] if m.sender in ("user", "assistant")]
        asked = max((i for i, m in enumerate(turns) if m.sender == "user"), default=None)
        if asked is None:
            continue  # a reply to nothing a user wrote (an imported session, say)
        earlier = turns[max(0, asked - HISTORY_TURNS) : asked]
        items.append(_item(turns[asked], earlier, reply, why))
    return items


def _item(
    question: MessageRecord, earlier: Sequence[MessageRecord], reply: MessageRecord, why: str
) -> dict[str, Any]:
    return {
        "question": question.text,
        "expect": [],  # to fill in: the entry id that should answer, or "fallback"
        "history": [{m.sender: m.text} for m in earlier],
        "why": why,
        "answered_with": reply.metadata.get("faq_id"),
        "suggested": reply.metadata.get("suggestions", []),
        "comment": reply.feedback.comment if reply.feedback else None,
        "at": format_timestamp(reply.timestamp),
    }


def _why(reply: MessageRecord) -> str | None:
    if reply.sender != "assistant":
        return None
    if reply.feedback is not None and reply.feedback.rating == "down":
        return "rated down"
    if reply.metadata.get("fallback"):
        return "declined"
    return None
