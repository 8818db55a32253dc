"""Spelling correction towards the knowledge base's own words."""

import Stemmer

from cora.assistant.faq.wording import Corrector

_TEXTS = ["How do I file a claim for my dog or my boat?", "Does my policy cover this?"]
_STEM = Stemmer.Stemmer("english").stemWord


def corrector() -> Corrector:
    return Corrector(_TEXTS, known=["does", "do", "how"], stem=_STEM, domain=["claim", "policy"])


def test_a_typo_of_an_insurance_word_is_corrected() -> None:
    assert corrector().text("fil a clam on my polcy") == "fil a claim on my policy"


def test_a_word_whose_stem_is_known_is_kept() -> None:
    assert corrector().correct("dogs") == "dogs"


def test_a_short_word_is_not_turned_into_another_everyday_word() -> None:
    assert corrector().correct("beat") == "beat"  # not "boat"


def test_nothing_is_corrected_to_a_function_word() -> None:
    plain = Corrector(_TEXTS, known=["does"])

    assert plain.correct("dose") == "dose"  # not "does"
    assert plain.correct("dogs") == "dog"  # without a stemmer, a near word is still found
