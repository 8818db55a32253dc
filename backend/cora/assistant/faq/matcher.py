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
from cora.assistant.faq.chargrams import CharGramIndex
from cora.assistant.faq.conversation import (
    earlier_user_texts,
    looks_like_follow_up,
    newest_question,
    points_back,
    previous_source,
)
from cora.assistant.faq.knowledge import FaqEntry
from cora.assistant.faq.ranker import Matrix, Ranker, Signals, candidate_features
from cora.assistant.faq.retrieval import FaqIndex
from cora.assistant.faq.semantic import SemanticIndex

Confidences = npt.NDArray[np.float32]
CANDIDATES = 3  # how many top entries the ranker chooses among


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
    suggest_insurance: float = 0.25
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
        self,
        index: FaqIndex,
        thresholds: Thresholds,
        semantic: SemanticIndex | None = None,
        ranker: Ranker | None = None,
    ) -> None:
        self._index = index
        self._thresholds = thresholds
        self._semantic = semantic
        self.ranker = ranker
        self._chargrams: CharGramIndex | None = None
        self._position = {entry.question: i for i, entry in enumerate(index.entries)}

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        return self._index.entries

    def confidences(self, text: str) -> tuple[Confidences, bool]:
        """Every entry's confidence for a text, and whether the semantic signal was used."""
        signals = self._signals(text)
        return signals.blended, signals.semantic is not None

    def _signals(self, text: str) -> "_TextSignals":
        """What the BM25 and semantic signals say about a text, for every entry."""
        prepared = self._index.prepare(text)
        terms = self._index.terms_of_many([prepared])[0]
        scores = self._index.scores(terms)
        lexical = np.minimum(scores / self._thresholds.bm25_scale, 1.0).astype(np.float32)
        semantic = self._semantic.similarities(prepared) if self._semantic else None
        if semantic is None:
            return _TextSignals(terms, scores, lexical, lexical, None)
        weight = self._thresholds.semantic_weight
        blended = (1 - weight) * lexical + weight * np.clip(semantic, 0.0, 1.0)
        return _TextSignals(terms, scores, lexical, blended.astype(np.float32), semantic)

    def decide(self, history: Sequence[ChatTurn]) -> Decision:
        """The entry answering the newest question, or a decline with suggestions."""
        seen = self._assess(history)
        if seen.semantic is not None and self.ranker is not None:
            positions = self._candidate_positions(seen.order)
            return self._ranked(seen, positions, self._ranker_signals(history, seen, positions))
        best = int(seen.order[0])
        if self._rule_answers(seen):
            return Decision(self._index.entries[best], float(seen.ranking[best]))
        return self._declined(seen)

    def _rule_answers(self, seen: "_Assessment") -> bool:
        """The hand-set rule: confident enough, or a clear lead, and not disputed."""
        confidence = float(seen.ranking[int(seen.order[0])])
        own_pick = seen.ranking is seen.own
        sure = confidence >= seen.bar or self._clear_lead(seen.ranking, seen.order, seen.bar)
        return sure and not (own_pick and self._disputed(seen.own, seen.semantic, seen.order))

    def _assess(self, history: Sequence[ChatTurn]) -> "_Assessment":
        question = newest_question(history)
        text = self._signals(question)
        own = text.blended
        bar = (
            self._thresholds.answer
            if text.semantic is not None
            else self._thresholds.bm25_only_answer
        )
        no_intent = not self._index.shows_intent(text.terms)
        margin = self._thresholds.no_intent_margin if no_intent else 0.0
        ranking = self._with_context(history, question, own, bar + margin)
        context_intent = self._context_shows_intent(history)
        if ranking is own or not context_intent:
            bar += margin  # else a follow-up to an insurance question: no extra bar
        order = np.argsort(-ranking, kind="stable")
        intent = not no_intent or (ranking is not own and context_intent)
        return _Assessment(question, text, own, text.semantic, ranking, order, bar, intent)

    def candidates(self, history: Sequence[ChatTurn]) -> tuple[list[int], Matrix, bool]:
        """The top entries' positions for the newest question, their ranker features, and
        whether the hand-set rule answers. Used to fit the ranker (`bench/faq_fit_ranker.py`);
        needs the semantic signal."""
        seen = self._assess(history)
        positions = self._candidate_positions(seen.order)
        signals = self._ranker_signals(history, seen, positions)
        return positions, candidate_features(signals, positions), signals.rule

    def _candidate_positions(self, order: Any) -> list[int]:
        count = self.ranker.candidates if self.ranker is not None else CANDIDATES
        return [int(i) for i in order[:count]]

    def _ranked(self, seen: "_Assessment", positions: list[int], signals: Signals) -> Decision:
        """The ranker decides which of the top candidates answers, and whether to answer at all
        (with the hand-set rule's verdict as one of its signals)."""
        assert self.ranker is not None
        features = candidate_features(signals, positions)
        pick = self.ranker.pick(features)
        if self.ranker.answers(features[pick], signals.rule):
            position = positions[pick]
            return Decision(self._index.entries[position], float(seen.ranking[position]))
        return self._declined(seen, signals.chargram)

    def _declined(self, seen: "_Assessment", chargram: Confidences | None = None) -> Decision:
        """A decline, offering the closest entries when they are close enough: a lower bar when
        the question (or the conversation) is about insurance. `chargram`: the question's trigram
        cosines, when the ranker has computed them already."""
        confidence = float(seen.ranking[int(seen.order[0])])
        bar = self._thresholds.suggest_insurance if seen.intent else self._thresholds.suggest
        if confidence < bar:
            return Decision(None, confidence)
        if chargram is None:
            chargram = self._chargram_index().similarities(seen.question)
        close = self._closest(seen.order, chargram, self._thresholds.suggestions)
        return Decision(None, confidence, tuple(self._index.entries[i] for i in close))

    @staticmethod
    def _closest(order: Any, chargram: Confidences, count: int) -> list[int]:
        """The entries to suggest: the ranking's first `count - 1`, then the entry the
        character trigrams alone rank first ("I want to drop collision on my old car" reaches
        changing coverage that way), or the ranking's next when they agree with the ranking."""
        ranked = [int(i) for i in order[:count]]
        by_trigrams = int(np.argmax(chargram))
        if by_trigrams in ranked[: count - 1]:
            return ranked
        return [*ranked[: count - 1], by_trigrams]

    def _ranker_signals(
        self, history: Sequence[ChatTurn], seen: "_Assessment", positions: list[int]
    ) -> Signals:
        """What the ranker weighs for the candidates at `positions` (the top of `seen.order`)."""
        assert seen.semantic is not None
        terms = seen.text.terms
        matches = [self._index.match(p, seen.text.scores, terms) for p in positions]
        _, source = self._context(history)
        return Signals(
            ranking=seen.ranking,
            own=seen.own,
            lexical=seen.text.lexical,
            semantic=seen.semantic,
            coverage=[m.coverage for m in matches],
            phrasing_coverage=[m.phrasing_coverage for m in matches],
            term_count=len(terms),
            unknown_share=len(self._index.unknown_terms(terms)) / max(len(terms), 1),
            intent=seen.intent,
            context=seen.ranking is not seen.own,
            last_answer=source,
            bar=seen.bar,
            rule=self._rule_answers(seen),
            chargram=self._chargram_index().similarities(seen.question),
        )

    def prepare(self) -> None:
        """Build the trigram index the ranker and suggestions use (a few tens of ms; kept off
        start)."""
        self._chargram_index()

    def _chargram_index(self) -> CharGramIndex:
        if self._chargrams is None:
            self._chargrams = CharGramIndex([entry.phrasings() for entry in self.entries])
        return self._chargrams

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


@dataclass(frozen=True, slots=True)
class _Assessment:
    """What the matcher computed for the newest question, before deciding."""

    question: str
    text: "_TextSignals"
    own: Confidences
    semantic: Confidences | None
    ranking: Confidences
    order: Any
    bar: float
    intent: bool


@dataclass(frozen=True, slots=True)
class _TextSignals:
    """What the signals say about one text, for every entry."""

    terms: list[str]
    scores: Confidences  # BM25
    lexical: Confidences  # BM25 scaled to [0, 1]
    blended: Confidences
    semantic: Confidences | None  # best WordLlama cosine over the entry's phrasings
