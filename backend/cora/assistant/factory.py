"""Building the configured assistant."""

from typing import Literal

from cora.assistant.base import Assistant


def create_assistant(
    *,
    kind: Literal["faq", "openai"],
    openai_base_url: str | None,
    openai_model: str | None,
    openai_api_key: str | None,
    history_char_budget: int = 24000,
    openai_timeout: float = 60.0,
) -> Assistant:
    """The assistant of the given kind; "openai" needs a base URL and a model name."""
    if kind == "faq":
        from cora.assistant.faq import FaqAssistant

        return FaqAssistant()
    if kind == "openai":
        if not openai_base_url or not openai_model:
            missing = " and ".join(
                name
                for name, value in (("base URL", openai_base_url), ("model name", openai_model))
                if not value
            )
            raise ValueError(
                f"The 'openai' assistant needs the OpenAI-compatible server's {missing} "
                "(for example http://127.0.0.1:8000/v1 and the model it serves)."
            )
        # Imported here: the openai client takes most of a second to import.
        from cora.assistant.openai_chat import OpenAIChatAssistant

        return OpenAIChatAssistant(
            base_url=openai_base_url,
            model=openai_model,
            api_key=openai_api_key,
            history_char_budget=history_char_budget,
            timeout=openai_timeout,
        )
    raise ValueError(f"Unknown assistant kind {kind!r}: expected 'faq' or 'openai'.")
