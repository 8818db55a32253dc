"""Spelling correction towards the knowledge base's own words, and everyday words mapped to them."""

import pytest
import Stemmer

from cora.assistant.faq import FaqAssistant
from cora.assistant.faq.eval_set import EvalCase, run_case
from cora.assistant.faq.knowledge import load_knowledge
from cora.assistant.faq.lexicon import EVERYDAY_WORDS
from cora.assistant.faq.retrieval import FaqIndex
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


def test_everyday_words_map_only_to_terms_the_knowledge_base_uses() -> None:
    index = FaqIndex(load_knowledge())
    used = {
        term
        for entry in index.entries
        for term in index.terms_of_many([f"{entry.phrasings()} {entry.prose()}"])[0]
    }
    unknown = {
        word: term
        for word, meaning in EVERYDAY_WORDS.items()
        for term in index.terms_of_many([meaning])[0]
        if term not in used
    }

    assert not unknown


def test_an_everyday_word_is_never_corrected_into_another_word() -> None:
    index = FaqIndex(load_knowledge())

    assert index.prepare("my truck got jacked") == "my truck got jacked stolen"  # not "backed"
    assert index.prepare("a twister hit us") == "a twister hit us wind storm damage"  # not "winter"
    # ...while a typo of one the knowledge base uses is still corrected to it
    assert index.prepare("my car got totled") == "my car got totaled total loss"


@pytest.mark.parametrize(
    ("story", "entry"),
    [
        ("my dermatologist says she is leaving my network", "coverage-health-network"),
        ("a twister ripped part of the roof off", "claims-roof-hail"),
        ("my truck wont start and im stuck at work", "claims-roadside"),
    ],
)
async def test_a_story_in_everyday_words_gets_the_entry_it_is_about(
    faq: FaqAssistant, story: str, entry: str
) -> None:
    assert (await run_case(faq, EvalCase(story, (entry,)))).outcome == entry


def test_an_everyday_english_word_is_kept_while_a_typo_is_corrected() -> None:
    common = Corrector(_TEXTS, known=["does"], common=["police"])

    assert common.correct("police") == "police"  # not "policy": a word the customer meant
    assert common.correct("polcy") == "policy"
    assert corrector().correct("police") == "policy"  # what happens without the word list


def test_the_knowledge_base_keeps_a_customers_everyday_words() -> None:
    index = FaqIndex(load_knowledge())

    assert index.prepare("they said it was fine this morning") == (
        "they said it was fine this morning"  # not "paid", "fire", "moving"
    )
    assert index.prepare("fil a clam for my car accidnet") == "fil a claim for my car accident file"
