"""Greetings, thanks and goodbyes: messages that are nothing but small talk."""

import re
from typing import Literal

SmallTalk = Literal["greeting", "thanks", "goodbye"]

_NAME = r"(?: cora| there| everyone)?"
_GREETING = (
    r"(?:hi|hello|hey|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day))"
    + _NAME
    + r"|how are you(?: doing)?(?: today)?|how s it going"
    r"|who are you|what (?:can|do) (?:you|u) do|what can (?:you|u) help (?:me )?with"
)
_THANKS = (
    r"(?:(?:ok|okay|great|perfect|awesome|cool|nice|brilliant|got it)(?: thanks)?)"
    r"|(?:many )?(?:thanks|thank you|thx|ty|cheers)(?: so much| very much| a lot| again)?"
    r"(?: for (?:the|your) help)?"
    + _NAME
    + r"|(?:i )?(?:really )?appreciate (?:it|that|your help)|much appreciated"
    r"|that (?:s |is )?(?:helpful|very helpful|great|perfect|what i needed)|that helps"
)
_GOODBYE = (
    r"(?:bye|goodbye|bye bye|see (?:you|ya)(?: later| soon| around)?|cya|farewell|good night"
    r"|talk (?:to you )?(?:later|soon))"
    + _NAME
    + r"|have a (?:nice|good|great) (?:day|evening|night|weekend|one)"
    r"|that s all(?: for now| i needed)?|nothing else|that s it|no(?:pe)?(?: that s it)?"
    r"|no (?:thanks|thank you|i m good|i m fine|all good)"
)
_ANY = re.compile(rf"(?:(?:{_GREETING}|{_THANKS}|{_GOODBYE})\s*)+")
_IS_GOODBYE = re.compile(rf"\b(?:{_GOODBYE})\b")
_IS_THANKS = re.compile(rf"\b(?:{_THANKS})\b")

REPLIES: dict[SmallTalk, str] = {
    "greeting": (
        "Hello! I'm Cora, your insurance assistant. Ask me about claims, coverage, deductibles, "
        "payments or changes to your policy, and I'll do my best to help."
    ),
    "thanks": "You're welcome! Is there anything else I can help you with?",
    "goodbye": "Goodbye, and take care! If anything else comes up, I'm here to help.",
}


def classify_small_talk(message: str) -> SmallTalk | None:
    """The kind of small talk the whole message is, or None if it asks for anything else."""
    text = _normalise(message)
    if not text or _ANY.fullmatch(text) is None:
        return None
    if _IS_GOODBYE.search(text):
        return "goodbye"
    if _IS_THANKS.search(text):
        return "thanks"
    return "greeting"


def _normalise(message: str) -> str:
    words = re.findall(r"[a-z]+", message.lower().replace("\u2019", "'").replace("'", " "))
    return " ".join(words)
