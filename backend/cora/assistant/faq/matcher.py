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

    answer: float = 0.34
    bm25_scale: float = 16.0
    semantic_weight: float = 0.3
    bm25_only_answer: float = 0.3
    context_weight: float = 0.5
    follow_up_own: float = 0.1
    stay: float = 0.3
    no_intent_margin: float = 0.05
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
        self._position = {entry.question: i for i, entry in enumerate(index.entries)}

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
        if not self._index.shows_intent(self._index.terms(question)):
            bar += self._thresholds.no_intent_margin
        ranking = self._with_context(history, question, own, bar)
        order = np.argsort(-ranking, kind="stable")
        best = int(order[0])
        confidence = float(ranking[best])
        if confidence >= bar:
            return Decision(self._index.entries[best], confidence)
        shown = self._thresholds.suggestions if confidence >= self._thresholds.suggest else 0
        close = order[:shown]
        return Decision(None, confidence, tuple(self._index.entries[int(i)] for i in close))

    def _with_context(
        self, history: Sequence[ChatTurn], question: str, own: Confidences, bar: float
    ) -> Confidences:
        """Own confidences, or, for a question that leans on earlier turns, blended with them.

        A question leans on context when it refers back ("how long does that take?") or has no
        confident topic of its own. It may stay on the previous answer's entry only if all its
        words are ones the knowledge base uses, so "write a poem about it" cannot ride along.
        """
        context, source = self._context(history)
        if not context or not (looks_like_follow_up(question) or float(own.max()) < bar):
            return own
        around, _ = self.confidences(context)
        ranking = own + self._thresholds.context_weight * around
        terms = self._index.terms(question)
        if not terms and not looks_like_follow_up(question):
            return own  # "yes", "ok": nothing to follow up on
        in_domain = not self._index.unknown_terms(terms)
        if source is not None:
            if in_domain and not self._index.new_topic_terms(terms, source):
                # Stay on the last answer, unless the question fits its topic ("how long
                # does it take?" after a claim is about claim times).
                own_topic = self._index.entries[int(np.argmax(own))].topic
                if own_topic != self._index.entries[source].topic:
                    ranking[source] += self._thresholds.stay
            else:  # "what about prescriptions?" asks about something the last answer was not
                ranking[source] = -1.0
        pick = int(np.argmax(ranking))
        if float(own[pick]) >= self._thresholds.follow_up_own or (pick == source and in_domain):
            return ranking.astype(np.float32)
        return own

    def _context(self, history: Sequence[ChatTurn]) -> tuple[str, int | None]:
        """The earlier turns' text, and the position of the entry Cora answered with last."""
        parts = earlier_user_texts(history, self._thresholds.context_turns)[:1]
        source = self._position.get(previous_source(history, self._thresholds.context_turns) or "")
        if source is not None:
            parts += [self._index.entries[source].question]
        return " ".join(parts), source
