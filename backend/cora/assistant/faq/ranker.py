"""A learned choice among the top few entries, and whether to answer with it.

Each of the top candidates of a question is described by signals the matcher already computes
(its blended confidence and lead, the BM25 and WordLlama signals and their leads, whether each
signal ranks it first, how much of the question its phrasings cover...). A logistic model, fitted
offline on the tuning part of `eval_cases.json` (`bench/faq_fit_ranker.py`), gives each candidate
the probability that it is the right answer; the most probable candidate answers when that
probability clears a bar chosen by cross-validation on the tuning part. The coefficients ship as
data (`ranker.json`); running the model needs numpy only.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

FEATURES = (
    "confidence",
    "lead",
    "own",
    "lexical",
    "lexical_lead",
    "semantic",
    "semantic_lead",
    "first",
    "second",
    "lexical_first",
    "semantic_first",
    "both_first",
    "coverage",
    "phrasing_coverage",
    "log_terms",
    "unknown_share",
    "intent",
    "context",
    "last_answer",
    "over_bar",
    "rule",
    "chargram",
    "chargram_lead",
    "chargram_first",
)


@dataclass(frozen=True, slots=True)
class Signals:
    """What the matcher computed for one question, over every entry."""

    ranking: npt.NDArray[np.float32]  # blended confidences, with earlier turns for a follow-up
    own: npt.NDArray[np.float32]  # blended confidences of the question alone
    lexical: npt.NDArray[np.float32]  # BM25, scaled to [0, 1]
    semantic: npt.NDArray[np.float32]  # best WordLlama cosine per entry
    coverage: Sequence[float]  # per candidate: IDF-weighted share of the terms in the entry
    phrasing_coverage: Sequence[float]  # ... in the entry's phrasings only
    term_count: int
    unknown_share: float  # share of the question's terms no entry uses
    intent: bool  # the question (or its context) has an insurance word
    context: bool  # the ranking leans on earlier turns
    last_answer: int | None  # position of the entry Cora answered with last
    bar: float  # the hand-set rule's bar for this question
    rule: bool  # whether the hand-set rule answers with the top entry
    chargram: npt.NDArray[np.float32]  # character trigram cosine to each entry's phrasings


def candidate_features(signals: Signals, candidates: Sequence[int]) -> Matrix:
    """One row of FEATURES per candidate entry position."""
    rows = [_row(signals, position, k) for k, position in enumerate(candidates)]
    return np.array(rows, dtype=np.float64)


def _row(s: Signals, position: int, rank: int) -> list[float]:
    lexical_first = int(np.argmax(s.lexical)) == position
    semantic_first = int(np.argmax(s.semantic)) == position
    return [
        float(s.ranking[position]),
        _lead(s.ranking, position),
        float(s.own[position]),
        float(s.lexical[position]),
        _lead(s.lexical, position),
        float(s.semantic[position]),
        _lead(s.semantic, position),
        float(rank == 0),
        float(rank == 1),
        float(lexical_first),
        float(semantic_first),
        float(lexical_first and semantic_first),
        s.coverage[rank],
        s.phrasing_coverage[rank],
        math.log1p(s.term_count),
        s.unknown_share,
        float(s.intent),
        float(s.context),
        float(s.last_answer == position),
        float(s.ranking[position]) - s.bar,
        float(s.rule and rank == 0),
        float(s.chargram[position]),
        _lead(s.chargram, position),
        float(int(np.argmax(s.chargram)) == position),
    ]


def _lead(values: npt.NDArray[np.float32], position: int) -> float:
    """How far an entry's value is above the best of the others (negative: below)."""
    others = np.delete(values, position)
    return float(values[position] - others.max()) if len(others) else float(values[position])


@dataclass(frozen=True, slots=True)
class Logistic:
    """A fitted logistic model over standardised features."""

    weights: Matrix
    bias: float
    mean: Matrix
    scale: Matrix

    def probabilities(self, features: Matrix) -> Matrix:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> "Logistic":
        return cls(
            weights=np.array(document["weights"], dtype=np.float64),
            bias=float(document["bias"]),
            mean=np.array(document["mean"], dtype=np.float64),
            scale=np.array(document["scale"], dtype=np.float64),
        )


@dataclass(frozen=True, slots=True)
class Ranker:
    """Which of the top candidates answers (`order`), and whether to answer with it: `accept`
    gives the chance it is right; an answer the hand-set rule would give stands unless that
    chance is under `veto_bar`, and one it would decline is given when the chance reaches
    `rescue_bar`."""

    order: Logistic
    candidates: int
    accept: Logistic | None = None
    veto_bar: float = 0.0
    rescue_bar: float = 1.01

    def pick(self, features: Matrix) -> int:
        """The candidate most likely right."""
        return int(np.argmax(self.order.probabilities(features)))

    def answers(self, features: Matrix, rule: bool) -> bool:
        """Whether to answer with the picked candidate (`features`: its row)."""
        if self.accept is None:
            return rule
        chance = float(self.accept.probabilities(features[None, :])[0])
        return chance >= self.veto_bar if rule else chance >= self.rescue_bar

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "candidates": self.candidates,
            "order": self.order.to_json(),
            "accept": self.accept.to_json() if self.accept is not None else None,
            "veto_bar": self.veto_bar,
            "rescue_bar": self.rescue_bar,
        }


RANKER_FILE = "ranker.json"


def load_ranker() -> Ranker | None:
    """The packaged model, or None when there is none or it was fitted on other features."""
    path = resources.files("cora.assistant.faq").joinpath(RANKER_FILE)
    if not path.is_file():
        return None
    document = json.loads(path.read_text("utf-8"))
    if tuple(document.get("features", ())) != FEATURES:
        return None
    accept = document.get("accept")
    return Ranker(
        order=Logistic.from_json(document["order"]),
        candidates=int(document["candidates"]),
        accept=Logistic.from_json(accept) if accept else None,
        veto_bar=float(document["veto_bar"]),
        rescue_bar=float(document["rescue_bar"]),
    )
