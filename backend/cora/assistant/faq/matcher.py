"""Choosing the entry that answers the newest question, using earlier turns for follow-ups.

Each entry gets a confidence in [0, 1]: BM25 (scaled) blended with the semantic similarity of
the question to the entry's phrasings. The top entry answers only when its confidence clears a
threshold calibrated on the tuning part of `eval_cases.json`; otherwise Cora declines and offers
the closest topics.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cora.assistant.base import ChatTurn
from cora.assistant.faq.conversation import (
    earlier_user_texts,
    looks_like_follow_up,
    newest_question,
    points_back,
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
    agree_margin: float = 0.03
    lead_answer: float = 0.28
    lead: float = 0.14


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
        blended, semantic = self._signals(text)
        return blended, semantic is not None

    def _signals(self, text: str) -> tuple[Confidences, Confidences | None]:
        """The blended confidences of a text, and the semantic similarities (None without)."""
        prepared = self._index.prepare(text)
        terms = self._index.terms_of_many([prepared])[0]
        lexical = np.minimum(self._index.scores(terms) / self._thresholds.bm25_scale, 1.0)
        semantic = self._semantic.similarities(prepared) if self._semantic else None
        if semantic is None:
            return lexical.astype(np.float32), None
        weight = self._thresholds.semantic_weight
        blended = (1 - weight) * lexical + weight * np.clip(semantic, 0.0, 1.0)
        return blended.astype(np.float32), semantic

    def decide(self, history: Sequence[ChatTurn]) -> Decision:
        """The entry answering the newest question, or a decline with suggestions."""
        question = newest_question(history)
        own, semantic = self._signals(question)
        bar = self._thresholds.answer if semantic is not None else self._thresholds.bm25_only_answer
        no_intent = not self._index.shows_intent(self._index.terms(question))
        margin = self._thresholds.no_intent_margin if no_intent else 0.0
        ranking = self._with_context(history, question, own, bar + margin)
        if ranking is own or not self._context_shows_intent(history):
            bar += margin  # else a follow-up to an insurance question: no extra bar
        order = np.argsort(-ranking, kind="stable")
        best = int(order[0])
        confidence = float(ranking[best])
        own_pick = ranking is own
        sure = confidence >= bar or self._clear_lead(ranking, order, bar)
        if sure and not (own_pick and self._disputed(own, semantic, order)):
            return Decision(self._index.entries[best], confidence)
        shown = self._thresholds.suggestions if confidence >= self._thresholds.suggest else 0
        close = order[:shown]
        return Decision(None, confidence, tuple(self._index.entries[int(i)] for i in close))

    def _clear_lead(self, ranking: Confidences, order: Any, bar: float) -> bool:
        """Whether the top entry, a little under the bar, leads every other entry by far.

        "whats a copay" matches one entry and nothing else: a modest score with a wide lead is
        as telling as a high score.
        """
        if len(order) < 2:
            return False
        top, second = float(ranking[int(order[0])]), float(ranking[int(order[1])])
        floor = bar - self._thresholds.answer + self._thresholds.lead_answer
        return top >= floor and top - second >= self._thresholds.lead

    def _disputed(self, own: Confidences, semantic: Confidences | None, order: Any) -> bool:
        """Whether a close top pick is one the semantic signal alone would not rank first.

        A narrow lead that only the words give ("my father died, what happens to his car
        insurance": life claim by a hair) is where wrong answers come from; Cora then says it
        is not sure and offers the closest topics instead.
        """
        if semantic is None or len(order) < 2:
            return False
        best, second = int(order[0]), int(order[1])
        close = float(own[best] - own[second]) < self._thresholds.agree_margin
        return close and int(np.argmax(semantic)) != best

    def _context_shows_intent(self, history: Sequence[ChatTurn]) -> bool:
        context, _ = self._context(history)
        return self._index.shows_intent(self._index.terms(context))

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
            elif not points_back(question):
                # "what about prescriptions?" asks about something the last answer was not;
                # "can I show it on my phone?" names the last answer by a pronoun: it stays in
                # the running, without the bonus.
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
