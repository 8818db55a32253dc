"""The texts of Cora's FAQ replies."""

from collections.abc import Sequence

from cora.assistant.faq.conversation import SOURCE_PREFIX
from cora.assistant.faq.knowledge import FaqEntry

_NOT_A_TOPIC = {"About Cora"}


def answer_text(entry: FaqEntry) -> str:
    return f"{entry.answer}\n\n{SOURCE_PREFIX}{entry.question}"


def fallback_text(entries: Sequence[FaqEntry]) -> str:
    topics = list(dict.fromkeys(e.topic for e in entries if e.topic not in _NOT_A_TOPIC))
    lines = [
        "I'm sorry, I don't have a reliable answer to that, and I'd rather not guess.",
        "",
        "I can answer general questions about: " + ", ".join(t.lower() for t in topics) + ".",
    ]
    lines += [
        "",
        "For anything about your own policy, account or claim, please contact an agent or "
        "customer service: their numbers are on your insurance ID card and in your online account.",
    ]
    return "\n".join(lines)
