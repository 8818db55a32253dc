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


_POINTS_BACK = re.compile(r"\b(?:it|its|that|this|those|these|them|they|there)\b", re.IGNORECASE)
_SWITCH = re.compile(r"^\W*(?:and|also|but|so|then|what about|how about)\b", re.IGNORECASE)


def looks_like_follow_up(question: str) -> bool:
    """Whether the question refers back to something said earlier ("how long does that take?")."""
    return _ANAPHORA.search(question) is not None


def points_back(question: str) -> bool:
    """Whether the question names the earlier topic by a pronoun without turning to a new one.

    "can I show it on my phone?" is still about the ID card; "what about the deductible?" and
    "and for my car?" turn to something else.
    """
    return _POINTS_BACK.search(question) is not None and _SWITCH.search(question) is None


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
# A request to be put through to a person, not a question about one ("are you a real person?").
_PERSON_REQUEST = re.compile(
    r"\b(?:give me|get me|i (?:want|need|wanna)|(?:talk|speak) (?:to|with)|transfer me to"
    r"|connect me (?:to|with)|put me through to)\s+(?:a |an |the )?(?:real |live |actual )?"
    r"(?:person|human|representative|operator|(?<=real )agent|(?<=live )agent)\b"
    r"(?!\s+(?:resources|to)\b)",  # "human resources", "a person to look at my roof"
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\?\s+(?=\w)|\s+(?:and|also|plus)\s+(?=(?:will|can|how|what|does|do|is|are|should)\b)",
    re.IGNORECASE,
)


def asks_for_personal_data(question: str) -> bool:
    """Whether the question asks for the customer's own records (policy number, balance...)."""
    return _PERSONAL.search(question.replace("\u2019", "'")) is not None


def asks_for_a_person(question: str) -> bool:
    """Whether the message asks to be put through to a person ("give me a real person")."""
    return _PERSON_REQUEST.search(question) is not None


def split_questions(question: str) -> list[str]:
    """The questions in a message: "how do I file a claim and will it raise my rates?" is two."""
    parts = [part.strip(" ?.!,") for part in _SPLIT.split(question)]
    return [part for part in parts if len(part.split()) >= 3]


# Requests for a task rather than a question (a poem, a translation, a do-it-yourself fix):
# declined unless the message also names something an insurer answers.
_TASK = re.compile(
    r"\b(?:write|compose|make up|tell|sing)\b(?:\s+\S+){0,4}?\s+"
    r"(?:poem|song|joke|essay|story|haiku|limerick|rap|riddle)s?\b"
    r"|\btranslat(?:e|ion)\b"
    r"|\b(?:reschedule|book|move|cancel)\b(?:\s+\S+){0,3}?\s+appointment\b"
    r"|\bhow (?:do|can|should) (?:i|we|you)\s+(?:\S+\s+){0,3}?\S+\s+myself\b"
    r"|\bhow (?:do (?:i|you)|to|can i) (?:fix|unclog|patch|repair|install|paint|clean|bake|cook"
    r"|learn|winterize|jump ?start|get rid of) (?:a|an|the|my|some)\b"
    # Recommendations and general knowledge: "best credit card for travel points".
    r"|\b(?:best|cheapest) (?:\S+\s+){0,3}?(?:for|to buy|near me)\b|\brecommend (?:a|an|me|some)\b"
    r"|\bwho won the\b|\bwho (?:is|was) the (?:president|governor|mayor|king|queen|ceo)\b"
    # Errands for other businesses: taxes, credit cards, the DMV.
    r"|\b(?:can|could|will) you (?:do|file|prepare) my (?:taxes|tax return)\b"
    r"|\bcredit card (?:debt|points|rewards|interest)\b|\bdispute a charge\b"
    r"|\brenew my driver'?s licen[cs]e\b",
    re.IGNORECASE,
)
_INSURANCE_WORD = re.compile(
    r"\b(?:insur\w*|claims?|cover\w*|polic\w*|deductible|premium|quotes?|rates?|adjuster|agent|accident"
    r"|crash\w*|wreck\w*|hail|storm|fire|flood\w*|theft|stolen|damage\w*|totaled)\b",
    re.IGNORECASE,
)


def asks_for_a_task(question: str) -> bool:
    """Whether the message asks for a task outside insurance ("write me a poem about cats")."""
    return _TASK.search(question) is not None and _INSURANCE_WORD.search(question) is None
