"""How hard an answer is to read: the Flesch-Kincaid grade (US school years) and the longest
sentence.

Answers aim at grade 6-8, in sentences of at most 30 words. A small implementation (vowel groups
for syllables, punctuation and line breaks for sentences), so that the figure is the same
wherever it is computed.
"""

import re

HIGHEST_GRADE = 8.0  # no answer above this (tests/assistant/test_knowledge.py)
LONGEST_SENTENCE = 30  # words; no answer has a longer sentence (the same test)

_MARKUP = re.compile(r"[*_`#>\[\]()]")
_SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)|\n")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_VOWELS = re.compile(r"[aeiouy]+")


def flesch_kincaid(text: str) -> float:
    """The grade of a markdown text: 0.39 words per sentence + 11.8 syllables per word - 15.59."""
    plain = _MARKUP.sub(" ", text)
    sentences = max(1, len(_SENTENCE_END.findall(plain)))
    words = _WORD.findall(plain)
    syllables = sum(_syllables(word) for word in words)
    count = max(1, len(words))
    return 0.39 * count / sentences + 11.8 * syllables / count - 15.59


def longest_sentence(text: str) -> int:
    """The number of words in the text's longest sentence (list items and clauses ended by a
    colon or semicolon count as sentences, as in the grade)."""
    parts = _SENTENCE_END.split(_MARKUP.sub(" ", text))
    return max(len(_WORD.findall(part)) for part in parts)


def _syllables(word: str) -> int:
    word = word.lower().strip("'")
    groups = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(1, groups)
