"""The texts of Cora's FAQ replies."""

from collections.abc import Sequence

from cora.assistant.faq.conversation import SOURCE_PREFIX
from cora.assistant.faq.knowledge import FaqEntry

_NOT_A_TOPIC = {"About Cora"}
# Answers about what is covered or paid end with the line that the policy decides.
_POLICY_TOPICS = {
    "Claims",
    "Deductibles",
    "Auto insurance",
    "Home insurance",
    "Renters insurance",
    "Life insurance",
    "Health insurance",
    "Coverage and exclusions",
}
POLICY_LINE = (
    "_This is general information. Your policy documents, and your state's rules, decide what "
    "applies to you._"
)
EMERGENCY_LINE = "If anyone is hurt or in danger, call 911 first."


def answer_text(entry: FaqEntry) -> str:
    parts = [entry.answer]
    if entry.topic in _POLICY_TOPICS:
        parts.append(POLICY_LINE)
    parts.append(f"{SOURCE_PREFIX}{entry.question}")
    return "\n\n".join(parts)


def offer_text(entry: FaqEntry) -> str:
    """The offer to answer a second question asked in the same message."""
    return f'You also asked something else. Would you like to know: "{entry.question}"?'


def fallback_text(
    entries: Sequence[FaqEntry], contact: str, suggestions: Sequence[FaqEntry] = ()
) -> str:
    lines = ["I'm not sure I understood, and I'd rather not guess.", ""]
    if suggestions:
        lines += ["Did you mean one of these?"]
        lines += [f"- {entry.question}" for entry in suggestions]
    else:
        topics = list(dict.fromkeys(e.topic for e in entries if e.topic not in _NOT_A_TOPIC))
        lines += [
            "I don't have a reliable answer to that. I can answer general questions about: "
            + ", ".join(t.lower() for t in topics)
            + "."
        ]
    lines += [
        "",
        f"For anything about your own policy, account or claim, a person can help: {contact}.",
        "",
        EMERGENCY_LINE,
    ]
    return "\n".join(lines)
