"""Search snippets (contract 3.4): plain text around the first match, cut at word boundaries.

A snippet is at most 200 characters, contains the first occurrence of the query within its first
120, starts and ends at word boundaries (with `…` where it cuts the text) and has the message's
Markdown markup removed.
"""

import re

from cora.domain import find_text

SNIPPET_MAX_CHARS = 200
MATCH_WITHIN_CHARS = 120
CONTEXT_BEFORE_CHARS = 40
ELLIPSIS = "…"

_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_STAR_EMPHASIS = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*", re.DOTALL)
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.DOTALL)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$", re.MULTILINE)
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+", re.MULTILINE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?", re.MULTILINE)
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$", re.MULTILINE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """The text without Markdown markup, its whitespace runs collapsed to one space."""
    text = _FENCE.sub(" ", markdown)
    text = _TABLE_RULE.sub(" ", text)
    text = _RULE.sub(" ", text)
    text = _HEADING.sub(" ", text)
    text = _QUOTE.sub("", text)
    text = _LIST_ITEM.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _INLINE_CODE.sub(r"\2", text)
    for emphasis in (_STRONG, _STRIKE):
        text = emphasis.sub(r"\2" if emphasis is _STRONG else r"\1", text)
    text = _STAR_EMPHASIS.sub(r"\1", text)
    text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = text.replace("|", " ")
    return _SPACE.sub(" ", text).strip()


def match_snippet(text: str, query: str) -> str | None:
    """The snippet of `text` for `query`, or None when `text` does not contain it.

    The match is looked for in the plain text; when only the markup holds it (a query such as
    `**`), in the text with its whitespace collapsed, so that the snippet still contains it.
    """
    if find_text(text, query) is None:
        return None
    for candidate in (plain_text(text), _SPACE.sub(" ", text).strip()):
        found = find_text(candidate, query)
        if found is not None:
            return _cut(candidate, found.start(), found.end())
    return None  # the query is only whitespace that collapsing changed


def _cut(text: str, start: int, end: int) -> str:
    """At most 200 characters of `text` holding `text[start:end]` within the first 120."""
    if len(text) <= SNIPPET_MAX_CHARS and end <= MATCH_WITHIN_CHARS:
        return text
    first = _word_start(text, max(0, start - CONTEXT_BEFORE_CHARS), start)
    if end - first + len(ELLIPSIS) > MATCH_WITHIN_CHARS:
        first = _word_start(text, start, start)
    lead = ELLIPSIS if first > 0 else ""
    budget = SNIPPET_MAX_CHARS - len(lead)
    if len(text) - first <= budget:
        return lead + text[first:]
    budget -= len(ELLIPSIS)
    last = _word_end(text, first + budget, max(end, first + 1))
    return lead + text[first:last].rstrip() + ELLIPSIS


def _word_start(text: str, earliest: int, match_start: int) -> int:
    """The first word start from `earliest` on, at or before the match; when the match starts
    inside a word that begins before `earliest`, that word's start if it is near, else the
    match's start (a long run without spaces, such as a URL, is cut)."""
    if earliest == 0 or text[earliest - 1] == " ":
        return earliest
    space = text.find(" ", earliest, match_start)
    if space != -1:
        return space + 1
    word_start = text.rfind(" ", 0, match_start) + 1
    return word_start if match_start - word_start <= CONTEXT_BEFORE_CHARS else match_start


def _word_end(text: str, at: int, minimum: int) -> int:
    """The last word end at or before `at` and not before `minimum`; `at` if there is none."""
    if at >= len(text) or text[at] == " ":
        return at
    space = text.rfind(" ", minimum, at)
    return space if space != -1 else at
