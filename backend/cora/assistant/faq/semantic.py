"""A semantic signal: WordLlama word embeddings, loaded from the weights inside its wheel.

Never from a model hub: the weights and tokenizer are read from the installed package. Loading
takes about a second, so it starts on first use in a background thread; server start-up does
not wait for it.
"""

import asyncio
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")


def _load_model() -> Any:
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    package = resources.files("wordllama")
    with safe_open(str(package.joinpath(*_WEIGHTS)), framework="np", device="cpu") as weights:
        embedding = weights.get_tensor("embedding.weight")
    tokenizer = Tokenizer.from_file(str(package.joinpath(*_TOKENIZER)))
    return WordLlamaInference(embedding, tokenizer)


class SemanticIndex:
    """Cosine similarity of a question to each entry's phrasings, best phrasing per entry."""

    def __init__(self, phrasings: Sequence[Sequence[str]]) -> None:
        self._phrasings = [[text.lower() for text in texts] for texts in phrasings]
        self._lock = threading.Lock()
        self._loading: Future[tuple[Any, Vectors, npt.NDArray[np.intp]]] | None = None

    def start_loading(self) -> "Future[tuple[Any, Vectors, npt.NDArray[np.intp]]]":
        with self._lock:
            if self._loading is None:
                self._loading = Future()
                threading.Thread(target=self._load, name="faq-embeddings", daemon=True).start()
            return self._loading

    async def ready(self) -> None:
        """Wait (without blocking the event loop) until the model is loaded."""
        await asyncio.wrap_future(self.start_loading())

    def _load(self) -> None:
        assert self._loading is not None
        try:
            model = _load_model()
            texts = [text for texts in self._phrasings for text in texts]
            owners = np.array([i for i, texts in enumerate(self._phrasings) for _ in texts])
            vectors = np.asarray(model.embed(texts, norm=True), dtype=np.float32)
            self._loading.set_result((model, vectors, owners))
            log.info("FAQ embeddings ready: %d phrasings", len(texts))
        except Exception as error:  # the assistant falls back to BM25 alone
            log.warning("FAQ embeddings could not be loaded: %r", error)
            self._loading.set_exception(error)

    def similarities(self, text: str) -> Vectors | None:
        """Best cosine similarity per entry, or None while (or if) the model is not loaded."""
        if self._loading is None or not self._loading.done() or self._loading.exception():
            return None
        model, vectors, owners = self._loading.result()
        query = np.asarray(model.embed([text.lower()], norm=True), dtype=np.float32)[0]
        per_phrasing = vectors @ query
        best = np.full(len(self._phrasings), -1.0, dtype=np.float32)
        np.maximum.at(best, owners, per_phrasing)
        return best
