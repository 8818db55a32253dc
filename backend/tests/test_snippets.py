"""Search snippets (contract 3.4): the rules, on texts chosen to test each edge."""

import random

import pytest

from cora.snippets import ELLIPSIS, match_snippet, plain_text

WORDS = ["claim", "policy", "windshield", "deductible", "a", "of", "coverage", "hail", "x" * 30]


def _check(snippet: str, text: str, query: str) -> None:
    """The contract's rules: at most 200 characters; the first occurrence in the first 120;
    cuts only at word boundaries, each marked with an ellipsis."""
    assert len(snippet) <= 200
    assert query.lower() in snippet[:120].lower()
    body = snippet.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
    plain = plain_text(text)
    at = plain.find(body)
    assert at != -1, "the snippet is a piece of the plain text"
    assert plain.lower().find(query.lower()) == at + body.lower().find(query.lower())
    starts_cut, ends_cut = at > 0, at + len(body) < len(plain)
    assert snippet.startswith(ELLIPSIS) == starts_cut
    assert snippet.endswith(ELLIPSIS) == ends_cut
    if starts_cut:
        assert plain[at - 1] == " " and body[0] != " "
    if ends_cut:
        assert plain[at + len(body)] == " " and body[-1] != " "


def test_a_short_text_is_its_own_snippet() -> None:
    assert match_snippet("My windshield cracked.", "WINDSHIELD") == "My windshield cracked."


def test_no_match_is_none() -> None:
    assert match_snippet("My windshield cracked.", "hail") is None


def test_markdown_markup_is_removed() -> None:
    text = (
        "## Your cover\n\n- **Glass** is covered, see [the policy](https://example.com/p).\n"
        "> Quote with `code` and _emphasis_ and snake_case_name.\n\n```\nfenced\n```"
    )
    assert plain_text(text) == (
        "Your cover Glass is covered, see the policy. Quote with code and emphasis and"
        " snake_case_name. fenced"
    )
    assert match_snippet(text, "glass") == plain_text(text)


def test_a_match_far_into_a_long_text_is_cut_on_both_sides() -> None:
    text = " ".join(f"word{i}" for i in range(300))
    snippet = match_snippet(text, "word150")
    assert snippet is not None
    assert snippet.startswith("…word1") and snippet.endswith("…")
    _check(snippet, text, "word150")


def test_a_match_only_in_markup_is_still_shown() -> None:
    text = "Use **bold** here " + "and more " * 40
    snippet = match_snippet(text, "**bold**")
    assert snippet is not None and "**bold**" in snippet[:120]


def test_a_match_inside_a_long_word_cuts_the_word() -> None:
    text = "see " + "y" * 150 + "needle" + "z" * 100 + " end"
    snippet = match_snippet(text, "needle")
    assert snippet is not None and "needle" in snippet[:120] and len(snippet) <= 200


@pytest.mark.parametrize("seed", range(200))
def test_the_rules_hold_for_many_texts(seed: int) -> None:
    chooser = random.Random(seed)
    words = [chooser.choice(WORDS) for _ in range(chooser.randint(1, 120))]
    text = " ".join(words)
    query = chooser.choice(words)
    if chooser.random() < 0.3:
        query = query[1:] or query  # a match that starts inside a word
    snippet = match_snippet(text, query)
    assert snippet is not None
    _check(snippet, text, query)
