"""Choosing the entry that answers the newest question, using earlier turns for follow-ups.

Each entry gets a confidence in [0, 1]: BM25 (scaled) blended with the semantic similarity of
the question to the entry's phrasings. The top entry answers only when its confidence clears a
threshold calibrated on the tuning part of `eval_cases.json`; otherwise Cora declines and offers
the closest topics.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cora.assistant.base import ChatTurn
from cora.assistant.faq.conversation import (
    earlier_user_texts,
    looks_like_follow_up,
    newest_question,
    previous_source,
)
from cora.assistant.faq.knowledge import FaqEntry
from cora.assistant.faq.retrieval import FaqIndex
from cora.assistant.faq.semantic import SemanticIndex

Confidences = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How confident a match must be to answer with; calibrated on the tuning data."""

    answer: float = 0.4
    bm25_scale: float = 12.0
    semantic_weight: float = 0.4
    bm25_only_answer: float = 0.5
    context_weight: float = 0.5
    follow_up_own: float = 0.25
    context_turns: int = 2
    suggestions: int = 3
    suggest: float = 0.3


@dataclass(frozen=True, slots=True)
class Decision:
    """The entry to answer with (None: decline), and the closest entries to suggest."""

    entry: FaqEntry | None
    confidence: float
    suggestions: tuple[FaqEntry, ...] = ()


class FaqMatcher:
    def __init__(
        self, index: FaqIndex, thresholds: Thresholds, semantic: SemanticIndex | None = None
    ) -> None:
        self._index = index
        self._thresholds = thresholds
        self._semantic = semantic
        self._by_question = {entry.question: entry for entry in index.entries}

    def confidences(self, text: str) -> tuple[Confidences, bool]:
        """Every entry's confidence for a text, and whether the semantic signal was used."""
        prepared = self._index.prepare(text)
        terms = self._index.terms_of_many([prepared])[0]
        lexical = np.minimum(self._index.scores(terms) / self._thresholds.bm25_scale, 1.0)
        semantic = self._semantic.similarities(prepared) if self._semantic else None
        if semantic is None:
            return lexical.astype(np.float32), False
        weight = self._thresholds.semantic_weight
        blended = (1 - weight) * lexical + weight * np.clip(semantic, 0.0, 1.0)
        return blended.astype(np.float32), True

    def decide(self, history: Sequence[ChatTurn]) -> Decision:
        """The entry answering the newest question, or a decline with suggestions."""
        question = newest_question(history)
        own, semantic_used = self.confidences(question)
        bar = self._thresholds.answer if semantic_used else self._thresholds.bm25_only_answer
        context = self._context(history)
        ranking = own
        if context and self._leans_on_context(question, own, bar):
            around, _ = self.confidences(context)
            with_context = own + self._thresholds.context_weight * around
            if float(own[int(np.argmax(with_context))]) >= self._thresholds.follow_up_own:
                ranking = with_context
        order = np.argsort(-ranking, kind="stable")
        best = int(order[0])
        confidence = float(ranking[best])
        if confidence >= bar:
            return Decision(self._index.entries[best], confidence)
        shown = self._thresholds.suggestions if confidence >= self._thresholds.suggest else 0
        close = order[:shown]
        return Decision(None, confidence, tuple(self._index.entries[int(i)] for i in close))

    def _leans_on_context(self, question: str, own: Confidences, bar: float) -> bool:
        """Whether the question may lean on earlier turns: it refers back, or has no topic."""
        return looks_like_follow_up(question) or float(own.max()) < bar

    def _context(self, history: Sequence[ChatTurn]) -> str:
        parts = earlier_user_texts(history, self._thresholds.context_turns)[:1]
        source = self._by_question.get(
            previous_source(history, self._thresholds.context_turns) or ""
        )
        if source is not None:
            parts += [source.question]
        return " ".join(parts)
