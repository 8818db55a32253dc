import pytest

from cora.assistant.faq import FaqAssistant


@pytest.fixture(scope="module")
def faq() -> FaqAssistant:
    return FaqAssistant()
