"""Choosing the entry that answers the newest question, using earlier turns for follow-ups."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cora.assistant.base import ChatTurn
from cora.assistant.faq.conversation import (
    earlier_user_texts,
    looks_like_follow_up,
    newest_question,
    previous_source,
)
from cora.assistant.faq.knowledge import FaqEntry
from cora.assistant.faq.retrieval import FaqIndex, Match


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a match is good enough to answer with; calibrated on `eval_set.CASES`."""

    min_score: float = 2.8
    min_coverage: float = 0.3
    phrasing_coverage: float = 0.75
    follow_up_coverage: float = 0.5
    context_weight: float = 0.3
    context_turns: int = 2
    short_question_terms: int = 2

    def accepts(self, match: Match) -> bool:
        if match.score <= 0:
            return False
        if match.phrasing_coverage >= self.phrasing_coverage:
            return True
        return match.score >= self.min_score and match.coverage >= self.min_coverage


class FaqMatcher:
    def __init__(self, index: FaqIndex, thresholds: Thresholds) -> None:
        self._index = index
        self._thresholds = thresholds
        self._by_question = {entry.question: entry for entry in index.entries}

    def decide(self, history: Sequence[ChatTurn]) -> FaqEntry | None:
        """The entry answering the newest question, or None when none matches well enough."""
        question = newest_question(history)
        terms = self._index.terms(question)
        own = self._index.best(self._index.scores(terms), terms)
        context = self._context(history)
        if context and self._may_follow_up(question, terms, own):
            with_context = self._best_with_context(terms, context)
            if with_context is not None and self._thresholds.accepts(with_context):
                return with_context.entry
        if self._thresholds.accepts(own):
            return own.entry
        return None

    def _may_follow_up(self, question: str, terms: list[str], own: Match) -> bool:
        """Whether the question may lean on earlier turns: it refers back, or is short or unclear.

        A message without content words ("yes", "no") leans on them only when it refers back.
        """
        if looks_like_follow_up(question):
            return True
        if not terms:
            return False
        return len(terms) <= self._thresholds.short_question_terms or not self._thresholds.accepts(
            own
        )

    def _context(self, history: Sequence[ChatTurn]) -> str:
        parts = earlier_user_texts(history, self._thresholds.context_turns)
        source = self._by_question.get(
            previous_source(history, self._thresholds.context_turns) or ""
        )
        if source is not None:
            parts += [source.question, source.topic]
        return " ".join(parts)

    def _best_with_context(self, terms: list[str], context: str) -> Match | None:
        """The best entry for question and down-weighted context that still covers the question.

        A follow-up must cover more of its own words than a standalone question, so that an
        off-topic message cannot ride on the context of an earlier one.
        """
        own = self._index.scores(terms)
        around = self._index.scores(self._index.terms(context))
        ranking = own + self._thresholds.context_weight * around
        for position in np.argsort(-ranking, kind="stable"):
            match = self._index.match(int(position), own + around, terms)
            if match.coverage >= self._thresholds.follow_up_coverage:
                return match
        return None
