"""BM25 ranking of knowledge-base entries (bm25s), with confidence measures for a match."""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer

from cora.assistant.faq.knowledge import FaqEntry
from cora.assistant.faq.wording import (
    SYNONYM_WORDS,
    Corrector,
    common_english_words,
    expand,
    normalise,
)

Scores = npt.NDArray[np.float32]

# Words that carry no topic in customer questions: function words, question words,
# politeness. Kept out of both the index and queries.
STOPWORDS = tuple(
    """
    a an and are as at be but by for if in into is it no not of on or such that the their then
    there these they this to was will with i me my mine myself we us our ours you your yours he
    him his she her hers its them theirs what which who whom whose when where why how do does did
    doing done have has had having am were been being can could would should shall may might must
    don doesn didn isn aren wasn weren won wouldn cannot couldn shouldn ve ll re just so very too
    also about any some all each other than more most own same only hi hello hey please thanks
    thank ok okay yes yeah get got getting want wanted like tell know let help go going now here
    one something anything really still again usually typically normally generally roughly
    """.split()  # noqa: SIM905
)


# Words that ask about an earlier topic without naming one: "how long does that take?"
GENERIC = """
    long take takes took cost costs much many time times deadline limit online work works mean
    means need needs happen happens next decide decides last lasts extra price cheap pay paid
    cover covered find start step steps way ways quick fast soon still worth
"""


# Words that show a question is about insurance; without one, a match must be surer.
INTENT = """
    insurance insure insured insurer policy claim cover covered coverage deductible premium rate
    bill billing pay payment paid adjuster agent quote refund cancel renew renewal beneficiary
    liability collision comprehensive accident crash wreck stolen theft damage damaged hurt injured
    injury totaled total loss lapse plan network copay enroll enrollment medicare cobra hsa fsa eob
    sr-22 umbrella gap subrogation dui license proof declarations escrow hail flood fire leak
    storm broke broken died death owe due claim deductable
"""


@dataclass(frozen=True, slots=True)
class Match:
    """An entry ranked for a question, with how well it covers the question's terms.

    Coverages are IDF-weighted shares of the question's terms found in the whole entry, and
    in its phrasings only; both are 1.0 for a question without terms.
    """

    entry: FaqEntry
    score: float
    coverage: float
    phrasing_coverage: float


class FaqIndex:
    """BM25 over whole entries, where phrasings count twice, plus a bonus for matching phrasings.

    The phrasings are the ways customers ask (question, alternatives, keywords); the answer text
    adds recall for words customers use that no phrasing lists. Built once.
    """

    def __init__(self, entries: Sequence[FaqEntry], phrasing_weight: float = 0.25) -> None:
        self.entries = tuple(entries)
        self._phrasing_weight = phrasing_weight
        self._stemmer = Stemmer.Stemmer("english")
        self._corrector: Corrector | None = None
        self._generic = frozenset(self.terms_of_many([GENERIC])[0])
        self._intent = frozenset(self.terms_of_many([INTENT])[0])
        phrasings = self.terms_of_many([entry.phrasings() for entry in self.entries])
        prose = self.terms_of_many([entry.prose() for entry in self.entries])
        self._whole_index = _Field([p + p + a for p, a in zip(phrasings, prose, strict=True)])
        self._phrasing_index = _Field(phrasings)
        self._phrasing_terms = [frozenset(terms) for terms in phrasings]
        self._entry_terms = [frozenset(p + a) for p, a in zip(phrasings, prose, strict=True)]
        self._idf = _idf([list(terms) for terms in self._entry_terms])
        self._unknown_idf = _idf_of(0, len(self.entries))

    def prepare(self, text: str) -> str:
        """The text in the knowledge base's words: spelling corrected, synonyms appended."""
        return expand(self.corrector().text(normalise(text)))

    def corrector(self) -> Corrector:
        """The spelling corrector, built on first use (about 150 ms, kept off start-up)."""
        if self._corrector is None:
            texts = [f"{entry.phrasings()} {entry.prose()}" for entry in self.entries]
            self._corrector = Corrector(
                texts,
                STOPWORDS,
                self._stemmer.stemWord,
                INTENT.split(),
                (*common_english_words(), *SYNONYM_WORDS),
            )
        return self._corrector

    def terms(self, text: str) -> list[str]:
        """Stemmed content terms of a text as customers write it, in order."""
        return self.terms_of_many([self.prepare(text)])[0]

    def terms_of_many(self, texts: list[str]) -> list[list[str]]:
        tokenized: list[list[str]] = bm25s.tokenize(
            texts,
            stopwords=STOPWORDS,
            stemmer=self._stemmer,
            return_ids=False,
            show_progress=False,
        )
        return tokenized

    def new_topic_terms(self, terms: Sequence[str], position: int) -> list[str]:
        """The question's topic words that the entry's phrasings do not use."""
        return [
            term
            for term in terms
            if term not in self._phrasing_terms[position] and term not in self._generic
        ]

    def shows_intent(self, terms: Sequence[str]) -> bool:
        """Whether the terms include a word that marks an insurance question."""
        return any(term in self._intent for term in terms)

    def unknown_terms(self, terms: Sequence[str]) -> list[str]:
        """The terms no entry uses."""
        return [term for term in terms if term not in self._idf]

    def scores(self, terms: Sequence[str]) -> Scores:
        """Score of every entry for a query, in entry order."""
        unique = sorted(set(terms))
        whole = self._whole_index.scores(unique)
        return whole + self._phrasing_weight * self._phrasing_index.scores(unique)

    def best(self, scores: Scores, question_terms: Sequence[str]) -> Match:
        """The top entry for the given scores."""
        return self.match(int(np.argmax(scores)), scores, question_terms)

    def match(self, position: int, scores: Scores, question_terms: Sequence[str]) -> Match:
        return Match(
            entry=self.entries[position],
            score=float(scores[position]),
            coverage=self._coverage(question_terms, self._entry_terms[position]),
            phrasing_coverage=self._coverage(question_terms, self._phrasing_terms[position]),
        )

    def _coverage(self, terms: Sequence[str], found_in: frozenset[str]) -> float:
        unique = set(terms)
        if not unique:
            return 1.0
        total = sum(self._weight(term) for term in unique)
        return sum(self._weight(term) for term in unique if term in found_in) / total

    def _weight(self, term: str) -> float:
        # A word the knowledge base never uses is as telling as the rarest word it does.
        return self._idf.get(term, self._unknown_idf)


class _Field:
    """One BM25 index over one field of every entry."""

    def __init__(self, documents: list[list[str]]) -> None:
        self._size = len(documents)
        self._bm25 = bm25s.BM25()
        self._bm25.index(documents, show_progress=False)
        self._vocabulary = frozenset(term for document in documents for term in document)

    def scores(self, terms: Sequence[str]) -> Scores:
        known = [term for term in terms if term in self._vocabulary]
        if not known:
            return np.zeros(self._size, dtype=np.float32)
        scores: Scores = self._bm25.get_scores(known)
        return scores


def _idf(documents: list[list[str]]) -> dict[str, float]:
    frequencies = Counter(term for document in documents for term in set(document))
    return {term: _idf_of(count, len(documents)) for term, count in frequencies.items()}


def _idf_of(document_frequency: int, document_count: int) -> float:
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))
