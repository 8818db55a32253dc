"""The learned ranker of the FAQ matcher: its packaged model, and how its verdicts are used."""

import numpy as np

from cora.assistant.base import ChatTurn
from cora.assistant.faq import FaqAssistant
from cora.assistant.faq.ranker import FEATURES, Logistic, Ranker, load_ranker


def _by_feature(name: str, weight: float) -> Logistic:
    """A model whose chance rises with one feature only (at 0 the chance is one half)."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index(name)] = weight
    return Logistic(weights, 0.0, np.zeros(len(FEATURES)), np.ones(len(FEATURES)))


def _row(**values: float) -> np.ndarray:
    row = np.zeros(len(FEATURES))
    for name, value in values.items():
        row[FEATURES.index(name)] = value
    return row


def test_the_packaged_model_matches_the_features_the_matcher_computes() -> None:
    ranker = load_ranker()

    assert ranker is not None
    assert len(ranker.order.weights) == len(FEATURES)
    assert ranker.accept is not None
    assert 0.0 <= ranker.veto_bar < ranker.rescue_bar <= 1.01


def test_the_order_model_picks_the_candidate_it_rates_highest() -> None:
    ranker = Ranker(order=_by_feature("semantic", 5.0), candidates=2)
    features = np.vstack([_row(semantic=0.2), _row(semantic=0.6)])

    assert ranker.pick(features) == 1


def test_the_rule_stands_unless_vetoed_and_a_decline_stands_unless_rescued() -> None:
    accept = _by_feature("confidence", 10.0)
    ranker = Ranker(_by_feature("confidence", 1.0), 2, accept, veto_bar=0.3, rescue_bar=0.9)
    unlikely, likely = _row(confidence=-0.5), _row(confidence=0.5)  # chances 0.007 and 0.993

    assert ranker.answers(likely, rule=True)
    assert not ranker.answers(unlikely, rule=True)
    assert ranker.answers(likely, rule=False)
    assert not ranker.answers(unlikely, rule=False)


def test_without_an_accept_model_the_hand_set_rule_decides() -> None:
    ranker = Ranker(_by_feature("confidence", 1.0), 2)

    assert ranker.answers(_row(), rule=True)
    assert not ranker.answers(_row(confidence=9.0), rule=False)


async def test_a_story_under_the_rules_bar_is_answered_with_the_ranker() -> None:
    # A tuning question (the model was fitted on it): the rule alone declines it.
    question = [ChatTurn("user", "my mom passed and we cant find her life policy")]
    with_ranker, rule_only = FaqAssistant(), FaqAssistant(ranker=None)

    answered = [piece async for piece in with_ranker.reply(history=question)][-1]
    declined = [piece async for piece in rule_only.reply(history=question)][-1]

    assert answered.metadata["faq_id"] == "policy-policyholder-died"
    assert declined.metadata.get("fallback") is True
