"""What a conversation's history says about the newest question."""

import re
from collections.abc import Sequence

from cora.assistant.base import ChatTurn

SOURCE_PREFIX = "Source: "
_SOURCE_LINE = re.compile(rf"^{re.escape(SOURCE_PREFIX)}(.+?)\s*$", re.MULTILINE)
_ANAPHORA = re.compile(
    r"\b(?:it|its|that|this|those|these|them|they|there|one|ones|same|too)\b"
    r"|^\W*(?:and|also|but|so|then|what about|how about|what if)\b",
    re.IGNORECASE,
)


def newest_question(history: Sequence[ChatTurn]) -> str:
    """The newest user message, which the reply answers."""
    for turn in reversed(history):
        if turn.sender == "user":
            return turn.text
    return ""


def earlier_user_texts(history: Sequence[ChatTurn], limit: int) -> list[str]:
    """Up to `limit` user messages before the newest one, newest first."""
    users = [turn.text for turn in history if turn.sender == "user"]
    return users[-limit - 1 : -1][::-1] if users else []


def previous_source(history: Sequence[ChatTurn], limit: int) -> str | None:
    """The canonical question named by the latest source line in the last `limit` replies."""
    replies = [turn.text for turn in history if turn.sender == "assistant"][-limit:]
    for text in reversed(replies):
        found = _SOURCE_LINE.findall(text)
        if found:
            return str(found[-1])
    return None


def looks_like_follow_up(question: str) -> bool:
    """Whether the question refers back to something said earlier ("how long does that take?")."""
    return _ANAPHORA.search(question) is not None


_PERSONAL = re.compile(
    r"\b(?:what(?:'?s| is| are)|whats|tell me|give me|check|look up|pull up|find)\s+"
    r"(?:the |all )?(?:my|our)\s+(?:policy|claim|account|member|group|id|current|next|total)?\s*"
    r"(?:number|status|balance|bill|deductible|premium|coverage|limits?|due date|payment)\b"
    r"|\bhow much (?:do|did) (?:i|we) (?:owe|pay)\b|\b(?:my|our) (?:balance|amount due)\b"
    r"|\bwhen is my (?:next )?(?:payment|bill|premium) due\b"
    r"|\bwhat(?:'?s| is) the status of my claim"
    r"|\bhow much is my (?:bill|payment|premium)\b"
    r"|\bmy claim status\b|\bwhat do i owe\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\?\s+(?=\w)|\s+(?:and|also|plus)\s+(?=(?:will|can|how|what|does|do|is|are|should)\b)",
    re.IGNORECASE,
)


def asks_for_personal_data(question: str) -> bool:
    """Whether the question asks for the customer's own records (policy number, balance...)."""
    return _PERSONAL.search(question.replace("\u2019", "'")) is not None


def split_questions(question: str) -> list[str]:
    """The questions in a message: "how do I file a claim and will it raise my rates?" is two."""
    parts = [part.strip(" ?.!,") for part in _SPLIT.split(question)]
    return [part for part in parts if len(part.split()) >= 3]
