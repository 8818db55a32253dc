"""Crisis and emergency messages: recognised before any matching, answered with a line to call.

A crisis never gets a product answer, even when it mentions one ("will my family get the money
if I kill myself"): the reply gives the line to call and offers a person instead.
"""

import re
from collections.abc import Callable
from typing import Literal

SafetyKind = Literal["self_harm", "abuse", "medical", "danger"]

_SELF_HARM = (
    r"suicid\w*|kill(?:ing)? my ?self|end(?:ing)? (?:my|it) (?:life|all)|take my (?:own )?life"
    r"|(?:want|wanna|going) to die|don ?t want to (?:live|be alive|be here|wake up)"
    r"|better off (?:dead|without me)|(?:hurt|harm|cut)(?:ing)? my ?self|self harm"
    r"|no reason to (?:live|go on)|not worth living|overdose on purpose"
)
_PARTNER = r"(?:husband|wife|boyfriend|girlfriend|partner|ex|spouse|fiance|dad|father|mom|mother)"
_ABUSE = (
    r"domestic (?:violence|abuse)|abus(?:e|ive|ing|er)\b|stalk(?:s|ed|ing|er)\b"
    rf"|{_PARTNER} (?:hits|beats|hurts|hit|beat|hurt|choked|strangled|threatens|threatened) me"
    rf"|(?:afraid|scared) of my {_PARTNER}|not safe at home|sexual(?:ly)? assault\w*|raped"
)
_MEDICAL = (
    r"chest pains?|(?:having|had|is having) (?:a )?(?:heart attack|stroke|seizure)"
    r"|heart attack right now|can ?t breathe?|(?:trouble|difficulty|hard time) breathing"
    r"|(?:isn ?t|is not|not|stopped|quit) breathing|unconscious|unresponsive|passed out"
    r"|(?:won ?t|can ?t|cannot) wake (?:up|him|her)"
    r"|(?:he|she|hes|shes|he s|she s|baby|kid|child|son|daughter|mom|dad) (?:is )?not responding"
    r"|(?:fell|collapsed) and can ?t get up"
    r"|overdos(?:e|ed|ing)\b|bleeding (?:a lot|badly|heavily|won ?t stop)|choking"
    r"|(?:severe|bad) allergic reaction|anaphyla\w*|face (?:is )?drooping|slurred speech"
)
_DANGER = (
    r"\bon fire\b|is burning|(?:smell(?:s|ing)?|smelled) (?:gas|smoke)|gas leak"
    r"|carbon monoxide|\bco (?:alarm|detector)|(?:smoke|fire) alarm (?:is )?going off"
    r"|sparks?(?:ing)?\b.*(?:outlet|panel|wire|wall)|(?:outlet|panel|wire|wires)\b.*\bspark\w*"
    r"|water\b.*(?:electrical panel|breaker box|fuse box|outlets?|light fixture|sockets?)"
    r"|smoke (?:is )?(?:coming|pouring) (?:from|out)"
    r"|(?:electrical panel|breaker box|fuse box)\b.*water|live wire"
    r"|(?:power )?lines? (?:is |are )?down"
    r"|downed (?:power )?lines?"
    r"|(?:gonna|going to|wants to|will|threatening to) (?:kill|hurt|shoot|stab) (?:me|us)"
    r"|threaten\w* (?:me|us|my (?:family|kids|wife|husband)|to (?:hurt|kill|shoot|beat))"
    r"|(?:has|had|pulled|waving) a (?:gun|knife|weapon)|following me|road rage"
    r"|(?:trying to|going to) (?:break|get) in"
    r"|breaking in(?:to)? (?:my|the|our)? ?(?:house|home|apartment)? ?(?:right )?now"
    r"|(?:someone|somebody|a man|a guy) (?:is )?in my (?:house|home|apartment) (?:right )?now"
    r"|\bintruder|trapped|water (?:is )?rising|car (?:is )?(?:smoking|on fire)"
    r"|stuck (?:in|on) (?:the )?(?:tracks|flood|middle of the highway|traffic lane)"
)
# Whole words only: "scraped the car next to me" is not "raped", "Alex" is not "ex".
_KINDS: tuple[tuple[SafetyKind, str], ...] = (
    ("self_harm", _SELF_HARM),
    ("abuse", _ABUSE),
    ("medical", _MEDICAL),
    ("danger", _DANGER),
)


class CrisisCheck:
    """One language's crisis check: its patterns (whole words, on the message as `normalise`
    gives it) and the reply for each kind, naming the company's `{contact}`."""

    def __init__(
        self,
        kinds: tuple[tuple[SafetyKind, str], ...],
        replies: dict[SafetyKind, str],
        normalise: Callable[[str], str],
    ) -> None:
        self._patterns = tuple((kind, re.compile(rf"\b(?:{p})\b")) for kind, p in kinds)
        self._replies = replies
        self._normalise = normalise

    def kind(self, message: str) -> SafetyKind | None:
        """The kind of crisis or emergency the message describes, or None."""
        text = self._normalise(message)
        return next((kind for kind, pattern in self._patterns if pattern.search(text)), None)

    def reply(self, kind: SafetyKind, contact: str) -> str:
        return self._replies[kind].format(contact=contact)


_HANDOFF = (
    "If you'd like, a person on our team can help you with your policy or claim once you are "
    "safe: {contact}."
)
REPLIES: dict[SafetyKind, str] = {
    "self_harm": (
        "I'm really sorry you're going through this, and I'm glad you reached out. "
        "You don't have to face it alone.\n\n"
        "- Call or text **988** (Suicide & Crisis Lifeline). It is free, private and open 24/7. "
        "You can also chat at 988lifeline.org.\n"
        "- If you are in immediate danger, call **911** now.\n\n"
        "Questions about a policy can wait. When you're ready, a person on our team can go "
        "through anything with you: {contact}."
    ),
    "abuse": (
        "I'm sorry this is happening to you. Your safety comes first.\n\n"
        "- If you are in danger now, call **911**.\n"
        "- The National Domestic Violence Hotline is free, private and open 24/7: call "
        "**1-800-799-7233**, text START to 88788, or chat at thehotline.org.\n\n"
        "A person on our team can handle your policy or claim privately, for example by "
        "changing where mail and messages go or who can see your account. Ask for confidential "
        "handling: {contact}."
    ),
    "medical": (
        "This could be a medical emergency. **Call 911 now** or go to the nearest emergency "
        "room. Don't wait to check your coverage first.\n\n"
        "Under federal law, most health plans must cover emergency care without prior approval, "
        "even at an out-of-network ER. " + _HANDOFF
    ),
    "danger": (
        "If anyone is hurt or in danger, **call 911 now**.\n\n"
        "- Get everyone to a safe place first. Leave the building if there is fire, smoke, a gas "
        "smell or a carbon monoxide alarm, and call from outside.\n"
        "- Stay away from water near electricity and from downed power lines.\n"
        "- On the road, move out of traffic if you can. If someone threatens you, stay in your "
        "locked car and call 911.\n\n"
        "Your claim can wait until everyone is safe. Reporting it later is fine. " + _HANDOFF
    ),
}


def _normalise(message: str) -> str:
    lowered = message.lower().replace("\u2019", "'").replace("'", " ")
    return " ".join(re.findall(r"[a-z0-9]+", lowered))


ENGLISH = CrisisCheck(_KINDS, REPLIES, _normalise)
check_safety = ENGLISH.kind
safety_reply = ENGLISH.reply
