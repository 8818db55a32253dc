"""BM25 ranking of knowledge-base entries (bm25s), with a confidence measure for the best match."""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer

from cora.assistant.faq.knowledge import FaqEntry

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
    one something anything really still again
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Match:
    """The best-ranked entry for a query, with how sure the ranking is."""

    entry: FaqEntry
    score: float
    coverage: float
    """IDF-weighted share of the question's terms that occur in the entry (1.0 without terms)."""


class FaqIndex:
    """A BM25 index over the entries, built once."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.entries = tuple(entries)
        self._stemmer = Stemmer.Stemmer("english")
        documents = self.terms_of_many([entry.search_text() for entry in self.entries])
        self._bm25 = bm25s.BM25()
        self._bm25.index(documents, show_progress=False)
        self._entry_terms = [frozenset(document) for document in documents]
        self._idf = _idf(documents)
        self._unknown_idf = _idf_of(0, len(documents))

    def terms(self, text: str) -> list[str]:
        """Stemmed content terms of a text, in order."""
        return self.terms_of_many([text])[0]

    def terms_of_many(self, texts: list[str]) -> list[list[str]]:
        tokenized: list[list[str]] = bm25s.tokenize(
            texts,
            stopwords=STOPWORDS,
            stemmer=self._stemmer,
            return_ids=False,
            show_progress=False,
        )
        return tokenized

    def scores(self, terms: Sequence[str]) -> Scores:
        """BM25 score of every entry for a query, in entry order."""
        known = sorted({term for term in terms if term in self._idf})
        if not known:
            return np.zeros(len(self.entries), dtype=np.float32)
        scores: Scores = self._bm25.get_scores(known)
        return scores

    def best(self, scores: Scores, question_terms: Sequence[str]) -> Match:
        """The top entry for the given scores, and how much of the question it covers."""
        position = int(np.argmax(scores))
        return Match(
            entry=self.entries[position],
            score=float(scores[position]),
            coverage=self.coverage(question_terms, position),
        )

    def coverage(self, terms: Sequence[str], position: int) -> float:
        unique = set(terms)
        if not unique:
            return 1.0
        total = sum(self._weight(term) for term in unique)
        found = sum(self._weight(term) for term in unique if term in self._entry_terms[position])
        return found / total

    def _weight(self, term: str) -> float:
        # A word the knowledge base never uses is as telling as the rarest word it does.
        return self._idf.get(term, self._unknown_idf)


def _idf(documents: list[list[str]]) -> dict[str, float]:
    frequencies = Counter(term for document in documents for term in set(document))
    return {term: _idf_of(count, len(documents)) for term, count in frequencies.items()}


def _idf_of(document_frequency: int, document_count: int) -> float:
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))
