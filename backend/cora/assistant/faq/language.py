"""Which language a customer writes in: English, or Spanish (the web app's other language).

Cora answers in English only. A message written in Spanish is recognised so that it gets, in
Spanish, what it needs: a crisis line (`safety_es.py`) or the way to reach a person who speaks
Spanish. The identifier is py3langid's (langid.py's model, inside its wheel), narrowed to
English and Spanish; it loads in about 0.8 s, on the first reply (`FaqAssistant.warm_up`).
"""

from functools import cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

# "Hello!" and "lol" lean Spanish at 0.55-0.64; Spanish questions score 0.93-1.0.
SURE = 0.9


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "es"])
    return identifier


def load_identifier() -> None:
    """Load the model now (it is loaded on first use otherwise)."""
    _identifier()


def written_in_spanish(message: str) -> bool:
    """Whether `message` is surely Spanish (short or mixed messages count as English)."""
    language, probability = _identifier().classify(message)
    return bool(language == "es" and probability >= SURE)
