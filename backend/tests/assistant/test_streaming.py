import pytest

from cora.assistant.streaming import word_pieces


@pytest.mark.parametrize(
    "text",
    ["", "one", "  two words ", "line one\n\n- item **bold**\n", "tabs\tand  spaces"],
)
def test_pieces_add_up_to_the_text(text: str) -> None:
    assert "".join(word_pieces(text)) == text


def test_each_piece_holds_one_word() -> None:
    assert list(word_pieces("Hello there, Cora!\n\nBye")) == [
        "Hello ",
        "there, ",
        "Cora!\n\n",
        "Bye",
    ]
