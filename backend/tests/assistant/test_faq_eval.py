"""The FAQ assistant over the labelled data of `eval_cases.json` (figures: bench/faq_accuracy.py).

The matcher is deterministic, so accuracy floors can be asserted here; timings are the bench's.
"""

import re

import pytest

from cora.assistant.faq import FaqAssistant
from cora.assistant.faq.eval_set import (
    HELD_OUT,
    TUNING,
    VALIDATION,
    EvalCase,
    figures,
    load_part,
    run_all,
)
from cora.assistant.faq.knowledge import load_knowledge

# Regression floors on the held-out part (never fitted to). Top-1 sits below issue 16's target
# (90%), which bench/faq_accuracy.py reports as still missed; the others are the targets. It was
# 0.855 until the 9 held-out questions that knowledge.json held word for word moved to tuning
# (84.2% without them), then 0.84 until the 25 that carry a message issue 16 or the review quotes
# moved too (86.5% on the 176 left, the same before and after the wording those quotes asked for).
HELD_OUT_TOP1 = 0.86
HELD_OUT_CONFIDENTLY_WRONG = 0.03
HELD_OUT_DECLINED = 0.95
HELD_OUT_FOLLOW_UPS = 0.90
# The tuning part: what the thresholds and the ranker were fitted to (confident-wrong first). It
# grew from 237 to 357, 417, 432 and then 674 questions with harder phrasings, stories and
# follow-ups, then lost the 31 that were near-copies of held-out questions (643). It was 0.027 at
# 432; the 242 stories and loose phrasings added then put the rule alone at 5.9% and the refitted
# ranker at 5.5% in sample, and without the near-copies (mostly answered right) the ranker is at
# 5.6% (a harder set: on the first 432 questions the rule alone was at 2.5% as before). With the
# 25 quoted messages from held-out (668) and the ranker refitted, 5.4%. With 227 messages from a
# writer who saw only the entry list (895), 7.2%: wording nobody fitted to the knowledge base. With
# a third writer's 244 (1,139) and the wording their misses asked for, 6.3%.
TUNING_CONFIDENTLY_WRONG = 0.064
# The validation part (196 messages from a second writer who saw only the entry list): 81.5% top-1
# and 8.2% confidently wrong before the everyday words of lexicon.py, 83.1% and 7.7% after, 7.1%
# once everyday English was no longer spell-corrected, and 82.6% and 6.6% after the customer
# wording of the tuning part's new messages went into knowledge.json and the ranker was refitted.
# With a fourth writer's 157 messages, briefed differently (353 in all): 82.0% and 7.1%; 82.3%
# once the answers above grade 8 were rewritten (the answer text is part of the BM25 index).
VALIDATION_TOP1 = 0.82
VALIDATION_CONFIDENTLY_WRONG = 0.071


# Words that say nothing of a question's topic, left out when comparing two questions.
FILLER = frozenset(
    """a an the i my me is it to of and in on for do does did how what can you your be was that
    this with at if or are so just""".split()  # noqa: SIM905
)


def content_words(question: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", question.lower())) - FILLER


def near_copy(first: frozenset[str], second: frozenset[str]) -> bool:
    """Two questions sharing at least half their content words (of two or more each)."""
    shared, either = len(first & second), len(first | second)
    return min(len(first), len(second)) >= 2 and shared / either >= 0.5


# Customer messages that issue 16 and the knowledge-base review (shared/reviews/
# knowledge-base-2026-12.md) quote as answered wrongly. They are requirements, known before the
# held-out part was written, so a held-out question carrying one is not unseen wording: 25 such
# questions moved to the tuning part on 2026-12-07.
QUOTED_MESSAGES = (
    "I'm thinking about suicide",
    "will my family get the money if I kill myself",
    "my kid is having trouble breathing",
    "carbon monoxide alarm going off",
    "water near my electrical panel",
    "the other driver is threatening me",
    "I have chest pain should I go to the ER or urgent care",
    "my abusive husband keeps checking my claims",
    "I got in a wreck",
    "somebody backed into me",
    "t-boned",
    "hit a deer",
    "put in a claim for my truck",
    "what info do I need from the other driver",
    "I hit a parked car",
    "whats going on with my claim",
    "adjuster isn't returning my calls",
    "how much do I owe",
    "apple pay",
    "I can't pay this month",
    "autopay didn't go through",
    "the dealership needs proof of insurance",
    "my kitchen caught fire",
    "lightning hit my house",
    "I found cheaper insurance",
    "cancel my life insurance",
    "operator",
    "this bot is useless",
    "why is my bill higher",
    "Understand my deductible",
    "the lady who hit me doesnt even have insurance",
    "my car was totaled, how do you decide its worth",
    "how do i fil a clam for my car accidnet",
    "premiun went up agian",
    "I want to cancel my home insurance policy",
)
# Quoted too, but their words ("file a claim", "policy number") are in many questions about
# something else (a windshield, rates, a failed sign-up): a question copies these only when it is
# a near-copy, not when it merely contains them.
QUOTED_IN_COMMON_WORDS = (
    "what is my policy number",
    "File a claim",
    "file claim",
    "how do I file a claim",
    "I want to file a claim",
    "how do i make a claim",
)
QUOTED_FOLLOW_UPS = (
    ("I want to cancel my home insurance policy", "How long does that usually take?"),
)


def copies_a_quoted_message(case: EvalCase) -> bool:
    def words(text: str) -> frozenset[str]:
        return content_words(text.replace("'", ""))  # "isn't" and "isnt" alike

    asked = words(case.question)
    if case.history:
        said = {words(turn.text) for turn in case.history if turn.sender == "user"}
        return any(
            words(first) in said and words(then) == asked for first, then in QUOTED_FOLLOW_UPS
        )
    return any(words(quote) <= asked for quote in QUOTED_MESSAGES) or any(
        near_copy(words(quote), asked) for quote in QUOTED_IN_COMMON_WORDS
    )


def test_no_held_out_question_copies_a_message_quoted_in_the_issue_or_review() -> None:
    assert [case.question for case in HELD_OUT if copies_a_quoted_message(case)] == []


# Quoted messages still declined (with suggestions or none), never answered wrongly.
QUOTED_BUT_DECLINED = frozenset({"I hit a parked car and nobody was around"})


async def test_messages_quoted_in_the_issue_or_review_get_their_entry(faq: FaqAssistant) -> None:
    quoted = [case for case in TUNING if copies_a_quoted_message(case)]
    results = await run_all(faq, quoted)

    assert len(quoted) >= 40
    assert [r.case.question for r in results if r.confidently_wrong] == []
    missed = {r.case.question for r in results if not r.passed}
    assert missed <= QUOTED_BUT_DECLINED


def test_data_is_big_enough_and_split() -> None:
    assert len(TUNING) + len(HELD_OUT) >= 300
    assert len(HELD_OUT) >= 150
    held_out = [content_words(c.question) for c in HELD_OUT if not c.history]
    copies = [
        case.question
        for case in TUNING
        if not case.history and any(near_copy(content_words(case.question), h) for h in held_out)
    ]
    assert copies == []
    assert sum(case.out_of_scope for case in HELD_OUT) >= 20
    assert sum(bool(case.history) for case in HELD_OUT) >= 20


def test_validation_shares_no_question_with_the_other_parts() -> None:
    others = [content_words(case.question) for case in TUNING + HELD_OUT if not case.history]
    copies = [
        case.question
        for case in VALIDATION
        if any(near_copy(content_words(case.question), other) for other in others)
    ]

    assert len(VALIDATION) >= 150
    assert sum(case.out_of_scope for case in VALIDATION) >= 15
    assert copies == []


def test_no_held_out_question_is_written_into_the_knowledge_base() -> None:
    """A held-out question copied as a phrasing or keyword would be answered from memory (a
    one- or two-word question, such as "deductible", may match a keyword by nature)."""

    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9']+", text.lower()))

    held_out = {words(case.question) for case in HELD_OUT if len(words(case.question).split()) > 2}
    copied = [
        (entry.id, field)
        for entry in load_knowledge()
        for field in (entry.question, *entry.alternatives, *entry.keywords)
        if words(field) in held_out
    ]
    assert copied == []


def test_every_label_names_an_outcome() -> None:
    ids = {entry.id for entry in load_knowledge()}
    for case in load_part("tuning") + load_part("held_out"):
        for expected in case.expected:
            assert (
                expected in ids
                or ":" in expected
                or expected
                in {
                    "fallback",
                    "greeting",
                    "thanks",
                    "goodbye",
                }
            ), expected


@pytest.mark.parametrize(
    "case", [c for c in TUNING + HELD_OUT if c.expected[0].startswith("safety")]
)
async def test_every_safety_case_gets_its_line(faq: FaqAssistant, case: object) -> None:
    results = await run_all(faq, [case])  # type: ignore[list-item]

    assert results[0].passed, results[0].outcome


async def test_held_out_meets_the_targets(faq: FaqAssistant) -> None:
    result = figures(await run_all(faq, HELD_OUT))

    assert result.top1_in_scope >= HELD_OUT_TOP1
    assert result.confidently_wrong <= HELD_OUT_CONFIDENTLY_WRONG
    assert result.decline_recall >= HELD_OUT_DECLINED
    assert result.follow_up >= HELD_OUT_FOLLOW_UPS


async def test_validation_part_keeps_its_figures(faq: FaqAssistant) -> None:
    result = figures(await run_all(faq, VALIDATION))

    assert result.top1_in_scope >= VALIDATION_TOP1
    assert result.confidently_wrong <= VALIDATION_CONFIDENTLY_WRONG


async def test_tuning_part_is_rarely_confidently_wrong(faq: FaqAssistant) -> None:
    result = figures(await run_all(faq, TUNING))

    assert result.confidently_wrong <= TUNING_CONFIDENTLY_WRONG


async def test_a_decline_counts_as_offered_when_its_suggestions_hold_the_right_entry(
    faq: FaqAssistant,
) -> None:
    rental = EvalCase("rental car", ("claims-rental-car",))
    elsewhere = EvalCase("rental car", ("claims-file",))

    results = await run_all(faq, [rental, elsewhere])

    assert [r.outcome for r in results] == ["fallback", "fallback"]
    assert results[0].suggested[:2] == ("coverage-auto-rental", "claims-rental-car")
    assert [r.offered for r in results] == [True, False]
    assert figures(results).offered_in_scope == 0.5
