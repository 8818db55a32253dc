"""A session as Markdown in which nothing a user wrote is ever read as Markdown or HTML.

Message texts go in fenced code blocks whose fence is longer than any run of backticks in the
text, so no line can close it early: `<script>`, links, `---` and headings stay literal text.
Titles and tags are on one line each, with every ASCII punctuation character backslash-escaped
(CommonMark allows that escape for each of them), so they cannot form markup either.
"""

import re

from cora.domain import MessageRecord, SessionRecord
from cora.timeutil import format_timestamp

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_BACKTICK_RUNS = re.compile(r"`+")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def session_markdown(record: SessionRecord) -> str:
    summary = record.summary
    lines = [
        f"# {inline(summary.title or '') or 'Untitled session'}",
        "",
        f"- Session: {summary.session_id}",
        f"- Created: {format_timestamp(summary.created_at)}",
        f"- Updated: {format_timestamp(summary.updated_at)}",
    ]
    if summary.tags:
        lines.append("- Tags: " + ", ".join(inline(tag) for tag in summary.tags))
    for message in record.messages:
        lines += ["", *message_markdown(message)]
    return "\n".join(lines) + "\n"


def message_markdown(message: MessageRecord) -> list[str]:
    return [f"## {message.sender}, {format_timestamp(message.timestamp)}", "", fenced(message.text)]


def inline(text: str) -> str:
    """One line of literal text: line breaks become spaces, punctuation is escaped."""
    return _PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", text).strip())


def fenced(text: str) -> str:
    longest = max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"
