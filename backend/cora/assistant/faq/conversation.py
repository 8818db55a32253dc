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
