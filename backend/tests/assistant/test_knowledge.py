"""The packaged knowledge base: size, coverage of the insurance lines, and validation."""

import re

import pytest

from cora.assistant.faq.knowledge import KnowledgeBaseError, load_knowledge, parse_knowledge
from cora.assistant.faq.readability import (
    HIGHEST_GRADE,
    LONGEST_SENTENCE,
    flesch_kincaid,
    longest_sentence,
)

ENTRIES = load_knowledge()


def test_has_at_least_sixty_entries() -> None:
    assert len(ENTRIES) >= 60


def test_every_answer_reads_at_grade_eight_or_lower() -> None:
    grades = {entry.id: flesch_kincaid(entry.answer) for entry in ENTRIES}

    assert {id_: round(grade, 2) for id_, grade in grades.items() if grade > HIGHEST_GRADE} == {}


def test_no_answer_has_a_sentence_over_thirty_words() -> None:
    lengths = {entry.id: longest_sentence(entry.answer) for entry in ENTRIES}

    assert {id_: words for id_, words in lengths.items() if words > LONGEST_SENTENCE} == {}


def test_list_items_and_clauses_count_as_sentences() -> None:
    text = "You can:\n- take a **policy loan**; it accrues interest\n- make a withdrawal."

    assert longest_sentence(text) == 4


def test_the_grade_rises_with_long_sentences_and_long_words() -> None:
    plain = "Call us. We can help. Send a photo."
    dense = "Comprehensive coverage compensates policyholders for unanticipated deterioration."

    assert flesch_kincaid(plain) < 2 < HIGHEST_GRADE < flesch_kincaid(dense)


def test_ids_are_stable_slugs() -> None:
    for entry in ENTRIES:
        assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", entry.id), entry.id


@pytest.mark.parametrize(
    "topic",
    [
        "Claims",
        "Deductibles",
        "Billing and payments",
        "Auto insurance",
        "Home insurance",
        "Renters insurance",
        "Life insurance",
        "Health insurance",
        "Policy changes",
        "Documents",
        "Contact",
    ],
)
def test_every_topic_has_entries(topic: str) -> None:
    assert any(entry.topic == topic for entry in ENTRIES)


@pytest.mark.parametrize("line", ["auto", "home", "renters", "life", "health"])
def test_claims_cover_every_insurance_line(line: str) -> None:
    assert f"claims-file-{line}" in {entry.id for entry in ENTRIES}


def test_entries_are_complete() -> None:
    for entry in ENTRIES:
        assert entry.question.endswith(("?", ".")), entry.id
        assert len(entry.alternatives) >= 2, entry.id
        assert len(entry.keywords) >= 3, entry.id
        assert 150 <= len(entry.answer) <= 1500, entry.id


def test_rejects_duplicate_ids() -> None:
    entry = {"id": "a-b", "topic": "T", "question": "Q?", "answer": "A."}
    other = {**entry, "question": "Other?"}
    with pytest.raises(KnowledgeBaseError, match="duplicate id"):
        parse_knowledge({"entries": [entry, other]})


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"entries": []},
        {"entries": [{"id": "a-b", "topic": "T", "question": "Q?"}]},
        {"entries": [{"id": "a-b", "topic": "T", "question": "Q?", "answer": " "}]},
        {
            "entries": [
                {"id": "a-b", "topic": "T", "question": "Q?", "answer": "A", "keywords": "x"}
            ]
        },
    ],
)
def test_rejects_malformed_documents(document: object) -> None:
    with pytest.raises(KnowledgeBaseError):
        parse_knowledge(document)
