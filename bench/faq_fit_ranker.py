"""Fit the FAQ ranker (`backend/cora/assistant/faq/ranker.json`) on the tuning part only.

Run from the repository root: .venv/bin/python bench/faq_fit_ranker.py [--write]
Reads only the `tuning` part of eval_cases.json. Chooses the number of candidates, the two L2
penalties and the veto and rescue bars by repeated k-fold cross-validation inside the tuning part
(the most right answers with confidently wrong, over all questions, at most the hand-set rule's own
rate less BELOW_RULE, and out-of-scope questions declined at least MIN_DECLINED or the rule's own
rate if lower), prints the cross-validated figures next to the hand-set rule's, and with --write
fits on the whole tuning part and writes the model.
"""

import asyncio
import json
import sys
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from cora.assistant.faq import FaqAssistant
from cora.assistant.faq.conversation import (
    split_questions,
)
from cora.assistant.faq.eval_set import (
    FALLBACK,
    TUNING,
    EvalCase,
    EvalResult,
    Figures,
    figures,
    run_all,
)
from cora.assistant.faq.ranker import RANKER_FILE, Logistic, Matrix, Ranker

# Confidently wrong answers allowed (cross-validated, over all tuning questions): 0.1 point under
# the hand-set rule's own rate on the same questions, in sample. It was a fixed 2.8% when the rule
# made 2.9% on the 432 questions; the 245 stories and loose phrasings added later (677 questions)
# put the rule at 5.9%, and there the fixed 2.8% left only vetoes at 0.85 that also throw away the
# rule's right answers (cross-validated top-1 67% against the rule's 78%; bars up to 0.9 and
# penalties 0.3 to 10 tried). No setting reaches 2.5% at the rule's top-1: some wrong answers look
# as sure as right ones on every signal (an out-of-scope story sharing an entry's words).
BELOW_RULE = 0.001
# Out-of-scope questions declined, cross-validated: at least 95%, or the hand-set rule's own rate
# when that is lower (93.6% on the 674 questions: no setting reached 95% there within the limit
# on wrong answers; the best came to 94.9%, above the rule).
MIN_DECLINED = 0.95
FOLDS = 5
REPEATS = 6
ORDER_PENALTIES = (0.1, 0.3, 1.0, 3.0)
ACCEPT_PENALTIES = (1.0, 3.0)
VETO_BARS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)  # 0: no veto
RESCUE_BARS = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.01)  # 1.01: no rescue
CANDIDATES = (1, 2, 3)  # 1: keep the order of the blended confidence


@dataclass(frozen=True, slots=True)
class Routed:
    """A tuning question the matcher decides alone: its candidates and which are right."""

    index: int
    ids: list[str]
    features: Matrix
    right: npt.NDArray[np.float64]
    rule: bool


@dataclass(frozen=True, slots=True)
class Setting:
    candidates: int
    order_penalty: float
    accept_penalty: float
    veto_bar: float
    rescue_bar: float


def matcher_decides(faq: FaqAssistant, case: EvalCase) -> bool:
    """Whether the assistant's reply comes from the matcher on the whole conversation."""
    question = case.question
    return faq.reply_before_matching(question) is None and len(split_questions(question)) <= 1


def collect(faq: FaqAssistant) -> list[Routed]:
    ids = [entry.id for entry in faq.matcher.entries]
    routed = []
    for i, case in enumerate(TUNING):
        if not matcher_decides(faq, case):
            continue
        positions, features, rule = faq.matcher.candidates(case.conversation())
        right = np.array([float(ids[p] in case.expected) for p in positions])
        routed.append(Routed(i, [ids[p] for p in positions], features, right, rule))
    return routed


def fit_logistic(features: Matrix, labels: npt.NDArray[np.float64], l2: float) -> Logistic:
    """L2-regularised logistic regression on standardised features (the bias not shrunk):
    scikit-learn's Newton solver, its `C` being 1 / `l2`."""
    scaler = StandardScaler().fit(features)
    if len(np.unique(labels)) < 2:  # one class (one candidate, all right): a constant model
        bias = 10.0 if labels[0] else -10.0
        return Logistic(np.zeros(features.shape[1]), bias, scaler.mean_, scaler.scale_)
    model = LogisticRegression(C=1.0 / l2, solver="newton-cholesky", tol=1e-10, max_iter=100)
    model.fit(scaler.transform(features), labels)
    return Logistic(model.coef_[0], float(model.intercept_[0]), scaler.mean_, scaler.scale_)


def fit(cases: list[Routed], setting: Setting) -> Ranker:
    k = setting.candidates
    ranked = [c for c in cases if c.right[:k].any()]  # learn the order where it matters
    order = fit_logistic(
        np.vstack([c.features[:k] for c in ranked]),
        np.concatenate([c.right[:k] for c in ranked]),
        setting.order_penalty,
    )
    picks = [int(np.argmax(order.probabilities(c.features[:k]))) for c in cases]
    accept = fit_logistic(
        np.array([c.features[p] for c, p in zip(cases, picks, strict=True)]),
        np.array([c.right[p] for c, p in zip(cases, picks, strict=True)]),
        setting.accept_penalty,
    )
    return Ranker(order, k, accept, setting.veto_bar, setting.rescue_bar)


def outcome(model: Ranker, case: Routed) -> str:
    features = case.features[: model.candidates]
    pick = model.pick(features)
    answers = model.answers(features[pick], case.rule)
    return case.ids[pick] if answers else FALLBACK


def cross_validated(
    routed: list[Routed], fixed: list[EvalResult], settings: list[Setting]
) -> dict[Setting, Figures]:
    """Figures of each setting over the tuning part, every routed question decided by a
    model fitted without its fold (mean over repeats)."""
    runs: dict[Setting, list[Figures]] = {s: [] for s in settings}
    for repeat in range(REPEATS):
        order = np.random.default_rng(repeat).permutation(len(routed))
        decided: dict[Setting, dict[int, str]] = {s: {} for s in settings}
        for fold in range(FOLDS):
            held = set(order[fold::FOLDS].tolist())
            train = [routed[i] for i in range(len(routed)) if i not in held]
            test = [routed[i] for i in held]
            fitted: dict[tuple[int, float, float], Ranker] = {}
            for setting in settings:
                key = (setting.candidates, setting.order_penalty, setting.accept_penalty)
                if key not in fitted:
                    fitted[key] = fit(train, setting)
                model = replace(
                    fitted[key], veto_bar=setting.veto_bar, rescue_bar=setting.rescue_bar
                )
                decided[setting].update({c.index: outcome(model, c) for c in test})
        for setting in settings:
            runs[setting].append(figures(with_outcomes(fixed, decided[setting])))
    return {s: mean_figures(f) for s, f in runs.items()}


def with_outcomes(fixed: list[EvalResult], decided: dict[int, str]) -> list[EvalResult]:
    return [
        EvalResult(r.case, decided.get(i, r.outcome), r.seconds, r.suggested)
        for i, r in enumerate(fixed)
    ]


def mean_figures(runs: list[Figures]) -> Figures:
    names = [n for n in Figures.__slots__ if n != "cases"]
    means = {n: float(np.mean([getattr(f, n) for f in runs])) for n in names}
    return Figures(cases=runs[0].cases, **means)


def show(name: str, f: Figures) -> str:
    return (
        f"{name}: top-1 {f.top1_in_scope:.1%}, wrong {f.confidently_wrong:.1%}, "
        f"declined {f.decline_recall:.1%}, follow-ups {f.follow_up:.1%}"
    )


def write(model: Ranker) -> None:
    path = resources.files("cora.assistant.faq").joinpath(RANKER_FILE)
    document = model.to_json()
    document["fitted_on"] = "the tuning part of eval_cases.json, by bench/faq_fit_ranker.py"
    Path(str(path)).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


async def main() -> int:
    faq = FaqAssistant(ranker=None)
    await faq.warm_up()
    fixed = await run_all(faq, TUNING)  # the hand-set rule; non-matcher outcomes stay as they are
    print(show("hand-set rule alone, in sample", figures(fixed)))
    max_wrong = figures(fixed).confidently_wrong - BELOW_RULE
    min_declined = min(MIN_DECLINED, figures(fixed).decline_recall)
    print(f"allowed (cross-validated): wrong <= {max_wrong:.1%}, declined >= {min_declined:.1%}")
    routed = collect(faq)
    reachable = sum(bool(r.right.any()) for r in routed)
    print(
        f"{len(routed)} of {len(TUNING)} tuning questions decided by the matcher; "
        f"right entry among the top {max(CANDIDATES)} for {reachable}"
    )
    settings = [
        Setting(k, op, ap, veto, rescue)
        for k in CANDIDATES
        for op in (ORDER_PENALTIES if k > 1 else ORDER_PENALTIES[:1])
        for ap in ACCEPT_PENALTIES
        for veto in VETO_BARS
        for rescue in RESCUE_BARS
    ]
    scores = cross_validated(routed, fixed, settings)
    allowed = [
        s
        for s, f in scores.items()
        if f.confidently_wrong <= max_wrong and f.decline_recall >= min_declined
    ]
    ranked = sorted(
        allowed,
        key=lambda s: (scores[s].top1_in_scope, scores[s].follow_up, -scores[s].confidently_wrong),
    )
    for setting in ranked[-8:]:
        print(show(f"CV {setting}", scores[setting]))
    print(f"best top-1 for a looser limit on wrong answers (declined >= {min_declined:.1%}):")
    for limit in (0.025, 0.028, 0.031, 0.04, 0.05, max_wrong):
        within = [
            s
            for s, f in scores.items()
            if f.confidently_wrong <= limit and f.decline_recall >= min_declined
        ]
        if within:
            top = max(within, key=lambda s: (scores[s].top1_in_scope, scores[s].follow_up))
            print(show(f"  <= {limit:.1%} {top}", scores[top]))
    if not ranked:
        print("no setting keeps confidently wrong and declines within the limits")
        return 1
    chosen = ranked[-1]
    print(f"chosen: {chosen}")
    if "--write" in sys.argv:
        write(fit(routed, chosen))
    await faq.aclose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
