"""The knowledge base: question-and-answer entries shipped as JSON inside the package."""

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

_PACKAGE = "cora.assistant.faq"
_FILE = "knowledge.json"


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    topic: str
    question: str
    alternatives: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str

    def phrasings(self) -> str:
        """The ways customers ask for this entry: question, alternatives and keywords."""
        return " ".join((self.question, *self.alternatives, *self.keywords))

    def prose(self) -> str:
        return f"{self.topic} {self.answer}"


class KnowledgeBaseError(ValueError):
    """The knowledge base file is malformed."""


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def load_knowledge() -> tuple[FaqEntry, ...]:
    """Read the packaged knowledge base, with the company's facts filled into its answers."""
    return parse_knowledge(_document())


def load_company() -> dict[str, str]:
    """The company-specific facts (how to reach a person, claim hours...) answers refer to."""
    return _company(_document())


def _document() -> Any:
    raw = resources.files(_PACKAGE).joinpath(_FILE).read_text(encoding="utf-8")
    return json.loads(raw)


def parse_knowledge(document: Any) -> tuple[FaqEntry, ...]:
    """Validate a decoded knowledge document and build its entries.

    Answers name company facts as `{key}`, filled from the document's `company` object, so that
    promises such as claim hours or partner shops are written in one place.
    """
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise KnowledgeBaseError("knowledge base must be an object with an 'entries' list")
    company = _company(document)
    entries = tuple(_parse_entry(item, company) for item in document["entries"])
    _require_unique([entry.id for entry in entries], "id")
    _require_unique([entry.question for entry in entries], "question")
    if not entries:
        raise KnowledgeBaseError("knowledge base has no entries")
    return entries


def _company(document: Any) -> dict[str, str]:
    company = document.get("company", {}) if isinstance(document, dict) else {}
    if not isinstance(company, dict) or not all(isinstance(v, str) for v in company.values()):
        raise KnowledgeBaseError("'company' must be an object of strings")
    return dict(company)


def _fill(text: str, company: dict[str, str], entry_id: object) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in company:
            raise KnowledgeBaseError(f"entry {entry_id!r}: unknown company fact {match.group()}")
        return company[match.group(1)]

    return _PLACEHOLDER.sub(value, text).replace("\n\n\n", "\n\n").strip()


def _parse_entry(item: Any, company: dict[str, str]) -> FaqEntry:
    if not isinstance(item, dict):
        raise KnowledgeBaseError(f"entry must be an object, got {item!r}")
    return FaqEntry(
        id=_text(item, "id"),
        topic=_text(item, "topic"),
        question=_text(item, "question"),
        alternatives=_texts(item, "alternatives"),
        keywords=_texts(item, "keywords"),
        answer=_fill(_text(item, "answer"), company, item.get("id")),
    )


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"entry {item.get('id')!r}: {key!r} must be a non-empty string")
    return value.strip()


def _texts(item: dict[str, Any], key: str) -> tuple[str, ...]:
    values = item.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise KnowledgeBaseError(f"entry {item.get('id')!r}: {key!r} must be a list of strings")
    return tuple(values)


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise KnowledgeBaseError(f"duplicate {what} in knowledge base: {value!r}")
        seen.add(value)
