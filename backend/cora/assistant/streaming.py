"""Helpers shared by assistants that stream text they already have."""

import re
from collections.abc import Iterator

_WORD_WITH_TRAILING_SPACE = re.compile(r"\s*\S+\s*|\s+")


def word_pieces(text: str) -> Iterator[str]:
    """Split text into word-sized pieces whose concatenation is exactly the text."""
    for match in _WORD_WITH_TRAILING_SPACE.finditer(text):
        yield match.group()
