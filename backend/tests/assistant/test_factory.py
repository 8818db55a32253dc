"""Building assistants from settings."""

import pytest

from cora.assistant import create_assistant
from cora.assistant.faq import FaqAssistant
from cora.assistant.openai_chat import OpenAIChatAssistant


def test_faq() -> None:
    chat = create_assistant(
        kind="faq", openai_base_url=None, openai_model=None, openai_api_key=None
    )
    assert isinstance(chat, FaqAssistant)
    assert chat.name == "faq"


async def test_openai() -> None:
    chat = create_assistant(
        kind="openai",
        openai_base_url="http://127.0.0.1:9/v1",
        openai_model="llama3",
        openai_api_key=None,
        history_char_budget=1000,
    )
    assert isinstance(chat, OpenAIChatAssistant)
    assert chat.name == "openai"
    await chat.aclose()


@pytest.mark.parametrize(
    ("base_url", "model", "missing"),
    [
        (None, "llama3", "base URL"),
        ("http://127.0.0.1:9/v1", None, "model name"),
        ("", "", "base URL and model name"),
    ],
)
def test_openai_needs_url_and_model(base_url: str | None, model: str | None, missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        create_assistant(
            kind="openai", openai_base_url=base_url, openai_model=model, openai_api_key="key"
        )


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Unknown assistant kind"):
        create_assistant(
            kind="magic",  # type: ignore[arg-type]
            openai_base_url=None,
            openai_model=None,
            openai_api_key=None,
        )
