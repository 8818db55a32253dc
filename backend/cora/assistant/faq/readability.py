"""How hard an answer is to read: the Flesch-Kincaid grade (US school years).

Answers aim at grade 6-8. A small implementation (vowel groups for syllables, punctuation and
line breaks for sentences), so that the figure is the same wherever it is computed.
"""

import re

HIGHEST_GRADE = 8.0  # no answer above this (tests/assistant/test_knowledge.py)


def flesch_kincaid(text: str) -> float:
    """The grade of a markdown text: 0.39 words per sentence + 11.8 syllables per word - 15.59."""
    plain = re.sub(r"[*_`#>\[\]()]", " ", text)
    sentences = max(1, len(re.findall(r"[.!?:;]+(?:\s|$)|\n", plain)))
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", plain)
    syllables = sum(_syllables(word) for word in words)
    count = max(1, len(words))
    return 0.39 * count / sentences + 11.8 * syllables / count - 15.59


def _syllables(word: str) -> int:
    word = word.lower().strip("'")
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(1, groups)
