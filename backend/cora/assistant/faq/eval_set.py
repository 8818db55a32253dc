"""The labelled questions of `eval_cases.json`, and the figures the tests and the benchmark report.

The data has three parts: `tuning`, which thresholds and matching fields may be fitted to;
`validation`, written by two people who saw only the entry list, each with another brief, which
chooses between variants (its misses are never listed, so it stays unread; the first writer's
brief was that of 471 tuning questions, so it flatters what is fitted to those:
docs/ASSISTANT.md); and `held_out`, written before tuning the way customers type, never fitted
to nor chosen on.
"""

import json
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cora.assistant.base import Assistant, ChatTurn
from cora.assistant.faq.knowledge import FaqEntry, load_knowledge
from cora.assistant.faq.replies import answer_text

FALLBACK = "fallback"
SMALL_TALK = ("greeting", "thanks", "goodbye")
SAFETY_PREFIX = "safety:"


@dataclass(frozen=True, slots=True)
class EvalCase:
    question: str
    expected: tuple[str, ...]
    history: tuple[ChatTurn, ...] = ()

    def conversation(self) -> list[ChatTurn]:
        return [*self.history, ChatTurn("user", self.question)]

    @property
    def in_scope(self) -> bool:
        """Whether an entry of the knowledge base should answer it."""
        return is_entry(self.expected[0])

    @property
    def out_of_scope(self) -> bool:
        return self.expected[0] == FALLBACK


@dataclass(frozen=True, slots=True)
class EvalResult:
    case: EvalCase
    outcome: str
    seconds: float
    suggested: tuple[str, ...] = ()  # entry ids a decline offered as "Did you mean"

    @property
    def offered(self) -> bool:
        """Declined, with an acceptable entry among the suggestions (one click away)."""
        return self.outcome == FALLBACK and any(s in self.case.expected for s in self.suggested)

    @property
    def passed(self) -> bool:
        return self.outcome in self.case.expected

    @property
    def confidently_wrong(self) -> bool:
        """A wrong entry presented as the answer (declining is never confidently wrong)."""
        return is_entry(self.outcome) and not self.passed


def is_entry(outcome: str) -> bool:
    return outcome != FALLBACK and outcome not in SMALL_TALK and ":" not in outcome


def outcome(metadata: Mapping[str, Any]) -> str:
    """What a reply's metadata says it was: an entry id, FALLBACK, small talk or safety:<kind>."""
    if metadata.get("faq_id"):
        return str(metadata["faq_id"])
    if metadata.get("safety"):
        return SAFETY_PREFIX + str(metadata["safety"])
    if metadata.get("fallback"):
        return FALLBACK
    return str(metadata.get("small_talk", "unknown"))


async def run_case(assistant: Assistant, case: EvalCase) -> EvalResult:
    metadata: dict[str, Any] = {}
    started = time.perf_counter()
    async for piece in assistant.reply(history=case.conversation()):
        metadata.update(piece.metadata)
    seconds = time.perf_counter() - started
    ids = _ids_by_question()
    suggested = tuple(ids[q] for q in metadata.get("suggestions", ()) if q in ids)
    return EvalResult(case, outcome(metadata), seconds, suggested)


async def run_all(assistant: Assistant, cases: Sequence[EvalCase]) -> list[EvalResult]:
    return [await run_case(assistant, case) for case in cases]


@dataclass(frozen=True, slots=True)
class Figures:
    """What the benchmark reports for one part of the data."""

    cases: int
    top1_in_scope: float
    offered_in_scope: float  # declined, but the right entry offered among the suggestions
    confidently_wrong: float
    decline_precision: float
    decline_recall: float
    follow_up: float
    safety: float
    median_ms: float
    p95_ms: float


def figures(results: Sequence[EvalResult]) -> Figures:
    in_scope = [r for r in results if r.case.in_scope]
    declined = [r for r in results if r.outcome == FALLBACK]
    should_decline = [r for r in results if r.case.out_of_scope]
    follow_ups = [r for r in results if r.case.history]
    safety = [r for r in results if r.case.expected[0].startswith(SAFETY_PREFIX)]
    timings = sorted(r.seconds * 1000 for r in results)
    return Figures(
        cases=len(results),
        top1_in_scope=_share(in_scope),
        offered_in_scope=_share(in_scope, lambda r: r.offered),
        confidently_wrong=sum(r.confidently_wrong for r in results) / max(len(results), 1),
        decline_precision=_share(declined, lambda r: r.case.out_of_scope),
        decline_recall=_share(should_decline),
        follow_up=_share(follow_ups),
        safety=_share(safety),
        median_ms=statistics.median(timings) if timings else 0.0,
        p95_ms=timings[int(0.95 * (len(timings) - 1))] if timings else 0.0,
    )


def _share(results: Sequence[EvalResult], test: Any = None) -> float:
    if not results:
        return 1.0
    return float(sum(bool(test(r) if test else r.passed) for r in results) / len(results))


@cache
def _entries() -> dict[str, FaqEntry]:
    return {entry.id: entry for entry in load_knowledge()}


@cache
def _ids_by_question() -> dict[str, str]:
    """Entry ids by their question, as a reply's `metadata.suggestions` names them."""
    return {entry.question: entry.id for entry in _entries().values()}


def _turn(item: Mapping[str, str]) -> ChatTurn:
    if "cora" in item:
        return ChatTurn("assistant", answer_text(_entries()[item["cora"]]))
    if "user" in item:
        return ChatTurn("user", item["user"])
    return ChatTurn("assistant", item["assistant"])


def _case(item: Mapping[str, Any]) -> EvalCase:
    return EvalCase(
        question=item["question"],
        expected=tuple(item["expect"]),
        history=tuple(_turn(turn) for turn in item.get("history", [])),
    )


@cache
def _document() -> dict[str, Any]:
    raw = resources.files("cora.assistant.faq").joinpath("eval_cases.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(raw)
    return document


def load_part(part: str) -> tuple[EvalCase, ...]:
    """The cases of one part: "tuning", "validation" or "held_out"."""
    return tuple(_case(item) for item in _document()[part])


TUNING = load_part("tuning")
VALIDATION = load_part("validation")
HELD_OUT = load_part("held_out")
