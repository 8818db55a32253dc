"""Customer wording brought to the knowledge base's: spelling correction and synonyms.

Spelling is corrected only towards words the knowledge base itself uses (a symmetric-delete
index, so a lookup costs a few set probes), and only for words it does not know.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from cora.assistant.faq.lexicon import EVERYDAY_WORDS

# Customer words and phrases -> the words the knowledge base answers them with (appended).
SYNONYMS: dict[str, str] = {
    "wreck": "accident crash",
    "wrecked": "accident crash",
    "t boned": "accident hit car",
    "tboned": "accident hit car",
    "sideswiped": "accident hit car",
    "fender bender": "accident car",
    "backed into": "hit car accident",
    "rear ended": "hit car accident",
    "totaled": "total loss",
    "totalled": "total loss",
    "dec page": "declarations page",
    "apple pay": "pay payment method",
    "google pay": "pay payment method",
    "venmo": "pay payment method",
    "operator": "talk person agent",
    "human": "talk person agent",
    "rep": "talk person agent",
    "useless": "talk person",
    "cop": "police",
    "cops": "police",
    "meds": "prescriptions medication",
    "sr22": "sr-22",
    "fr 44": "fr44 sr-22",
    "dwi": "dui",
    "laid off": "lost my job",
    "got fired": "lost my job",
    "obamacare": "marketplace",
    "acv": "actual cash value",
    "uber eats": "delivery rideshare",
    "grubhub": "delivery rideshare",
    "instacart": "delivery rideshare",
    "harley": "motorcycle",
    "jetski": "jet ski",
    "dentist": "dental",
    "glasses": "vision",
    "runaround": "other driver's insurance",
    "lowball": "offer too low",
    "lowballed": "offer too low",
    "fil": "file",
    "dui": "sr-22",
    "deductable": "deductible",
    "mexico": "abroad",
    "cancun": "mexico abroad",
    "tijuana": "mexico abroad",
    "passed": "died",
    "passed away": "died",
    "balance": "owe",
    "checkup": "preventive",
    "physical": "medical exam",
    "doordash": "delivery rideshare",
    "shingles": "roof",
    "windstorm": "wind storm",
    "ran a red light": "accident hit car",
    "smashed into": "hit car accident",
    "crashed into": "hit car accident",
    "scraped": "hit damage",
    "not be renewed": "not renewed dropped",
    "not renewing": "not renewed dropped",
    "mortgage payment": "escrow",
    "speak to someone": "talk person agent",
    "talk to someone": "talk person agent",
    "rude": "complaint",
    "will not pay": "denied",
    "can not pay": "hardship afford",
    **EVERYDAY_WORDS,
}
# Single words with a meaning of their own here, never corrected to a knowledge-base word
# ("jacked" is not "backed", "twister" is not "winter"), while a typo may still be corrected to
# one the knowledge base uses ("stoel" is "stole").
SYNONYM_WORDS = frozenset(key for key in SYNONYMS if " " not in key)
# Customer words that mean something else in this company: "passed her driving test".
_NOT_SYNONYM: dict[str, re.Pattern[str]] = {
    "passed": re.compile(r"(?:\s+\S+){0,3}?\s+(?:test|exam|inspection|course|class|bar)\b"),
}
_SYNONYM = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(SYNONYMS, key=len)[::-1])) + r")\b")
_WORD = re.compile(r"[a-z][a-z'-]*")
COMMON_WORDS = 20_000
_MIN_LENGTH = 4
_SHORT = 6
_LONG = 7


def common_english_words() -> list[str]:
    """The 20,000 most frequent English words (wordfreq's own data, inside its wheel).

    A typo is rarely one of them ("accidnet", "premiun" are not), while a customer's everyday
    word that the knowledge base does not use is ("said", "morning", "across"). "clam" is not
    among them, so "fil a clam" is still a claim.
    """
    from wordfreq import top_n_list

    words: list[str] = top_n_list("en", COMMON_WORDS, wordlist="small")
    return words


def normalise(text: str) -> str:
    lowered = text.lower().replace("\u2019", "'")
    lowered = re.sub(r"\b(?:won't|wont)\b", "will not", lowered)
    lowered = re.sub(r"\b(?:can't|cant)\b", "can not", lowered)
    lowered = re.sub(r"n't\b", " not", lowered)
    return re.sub(r"[-_/]", " ", lowered)


class Corrector:
    """Corrects words the knowledge base does not use to the nearest word it does.

    `known` words (function words) are never corrected and never a correction: "dogs" is not
    "does". `common` words (everyday English) are never corrected but may be a correction:
    "they said" is not "they paid". With `stem`, a word whose stem the knowledge base uses
    ("dogs": "dog") is kept.
    """

    def __init__(
        self,
        texts: Iterable[str],
        known: Iterable[str] = (),
        stem: Callable[[str], str] | None = None,
        domain: Iterable[str] = (),
        common: Iterable[str] = (),
    ) -> None:
        self._frequency = Counter(word for text in texts for word in _WORD.findall(text.lower()))
        self._function_words = frozenset(known)
        self._known = set(self._frequency) | self._function_words | set(common)
        self._stem = stem
        self._stems = {stem(word) for word in self._frequency} if stem else set()
        self._domain = frozenset(domain)
        self._by_delete: dict[str, set[str]] = defaultdict(set)
        for word in self._frequency:
            if len(word) >= _MIN_LENGTH - 1:
                for variant in _deletes(word, 1):
                    self._by_delete[variant].add(word)

    def correct(self, word: str) -> str:
        if word in self._known or len(word) < _MIN_LENGTH or not word.isalpha():
            return word
        if self._stem is not None and self._stem(word) in self._stems:
            return word
        distance = 2 if len(word) >= _LONG else 1
        candidates = {
            c for v in _deletes(word, distance) for c in self._by_delete.get(v, ())
        } - self._function_words
        scored = [(_osa(word, c), -self._frequency[c], c) for c in candidates]
        best = [
            entry
            for entry in scored
            if entry[0] <= distance
            and (len(word) >= _SHORT or not self._domain or entry[2] in self._domain)
        ]
        return min(best)[2] if best else word

    def text(self, text: str) -> str:
        return _WORD.sub(lambda match: self.correct(match.group()), text)


def expand(text: str) -> str:
    """The text with the knowledge base's words for the customer words it uses appended."""
    found = [
        SYNONYMS[match.group()]
        for match in _SYNONYM.finditer(text)
        if match.group() not in _NOT_SYNONYM
        or not _NOT_SYNONYM[match.group()].match(text, match.end())
    ]
    return " ".join([text, *found])


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance: edits, with adjacent swaps counted as one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
