"""Character trigram similarity: a signal that survives typos and word forms ("accidnet")."""

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
_WORD = re.compile(r"[a-z0-9]+")


def _grams(text: str, size: int) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        padded = f" {word} "
        grams.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


class CharGramIndex:
    """TF-IDF over character trigrams of each entry's phrasings; cosine to a question."""

    def __init__(self, texts: Sequence[str], size: int = 3) -> None:
        self._size = size
        counts = [_grams(text, size) for text in texts]
        frequency = Counter(gram for grams in counts for gram in grams)
        self._column = {gram: i for i, gram in enumerate(sorted(frequency))}
        self._idf = np.array(
            [math.log((1 + len(texts)) / (1 + frequency[g])) + 1 for g in sorted(frequency)],
            dtype=np.float32,
        )
        matrix = np.zeros((len(texts), len(self._column)), dtype=np.float32)
        for row, grams in enumerate(counts):
            for gram, count in grams.items():
                matrix[row, self._column[gram]] = 1 + math.log(count)
        matrix *= self._idf
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self._matrix = matrix / np.maximum(norms, 1e-9)

    def similarities(self, text: str) -> Vectors:
        """Cosine of the question's trigram vector to every entry's."""
        query = np.zeros(len(self._column), dtype=np.float32)
        for gram, count in _grams(text, self._size).items():
            column = self._column.get(gram)
            if column is not None:
                query[column] = 1 + math.log(count)
        query *= self._idf
        norm = float(np.linalg.norm(query))
        if norm == 0.0:
            return np.zeros(self._matrix.shape[0], dtype=np.float32)
        result: Vectors = self._matrix @ (query / norm)
        return result
