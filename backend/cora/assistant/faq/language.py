"""Which language a customer writes in: English, or Spanish (the web app's other language).

Cora answers in English only. A message written in Spanish is recognised so that it gets, in
Spanish, what it needs: a crisis line (`safety_es.py`) or the way to reach a person who speaks
Spanish. The identifier is py3langid's (langid.py's model, inside its wheel), narrowed to
English and Spanish; it loads in about 0.5 s, on the first reply (`FaqAssistant.warm_up`), and
holds about 49 MB (its tokenizer; the weights of the two languages are 0.4 MB).
"""

from functools import cache

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, _load_model_file

# "Hello!" and "lol" lean Spanish at 0.55-0.64; Spanish questions score 0.93-1.0.
SURE = 0.9
LANGUAGES = ("en", "es")


@cache
def _identifier() -> LanguageIdentifier:
    """The model's two columns only: `set_languages` would keep all 142 (28 MB more)."""
    ptc, pc, classes, nextmove, row, output = _load_model_file(MODEL_DIR / MODEL_FILE)
    kept = [i for i, language in enumerate(classes) if language in LANGUAGES]
    return LanguageIdentifier(
        np.asarray(ptc)[:, kept],
        np.asarray(pc)[kept],
        [classes[i] for i in kept],
        nextmove,
        output,
        norm_probs=True,
        tk_row=row,
    )


def load_identifier() -> None:
    """Load the model now (it is loaded on first use otherwise)."""
    _identifier()


def written_in_spanish(message: str) -> bool:
    """Whether `message` is surely Spanish (short or mixed messages count as English)."""
    language, probability = _identifier().classify(message)
    return bool(language == "es" and probability >= SURE)
