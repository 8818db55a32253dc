"""FAQ assistant benchmark: accuracy, declines, follow-ups, safety and latency per part of the data.

Run from the repository root: .venv/bin/python bench/faq_accuracy.py
Prints one table per part (tuning, validation, held-out), the worst held-out misses, and the
reading level of the answers. `offered_in_scope` counts the in-scope questions Cora declined while
offering the right entry among its suggestions (one click away in the web app). Exits with status
1 when a held-out target is missed. The validation part's misses are not printed: it chooses
between variants, so it must stay unread.
"""

import asyncio
import statistics
import sys
import time
from collections import Counter

from cora.assistant.faq import FaqAssistant
from cora.assistant.faq.eval_set import (
    HELD_OUT,
    TUNING,
    VALIDATION,
    EvalResult,
    Figures,
    figures,
    run_all,
)
from cora.assistant.faq.knowledge import load_knowledge
from cora.assistant.faq.readability import HIGHEST_GRADE, flesch_kincaid, longest_sentence

TARGETS = {  # held-out targets of issue 16
    "top1_in_scope": (">=", 0.90),
    "confidently_wrong": ("<=", 0.03),
    "decline_recall": (">=", 0.95),
    "follow_up": (">=", 0.90),
    "safety": (">=", 1.0),
    "median_ms": ("<=", 20.0),
}
WORST_MISSES = 25


def met(name: str, value: float) -> bool:
    op, target = TARGETS[name]
    return value >= target if op == ">=" else value <= target


def table(part: str, fig: Figures, checked: bool, omit: tuple[str, ...] = ()) -> list[str]:
    lines = [f"\n## {part} ({fig.cases} questions)", "| metric | value | target |", "|---|---|---|"]
    for name, value in vars_of(fig):
        if name in omit:
            continue
        shown = f"{value:.2f} ms" if name.endswith("_ms") else f"{value:.1%}"
        target = ""
        if name in TARGETS:
            op, goal = TARGETS[name]
            goal_shown = f"{goal} ms" if name.endswith("_ms") else f"{goal:.0%}"
            target = f"{op} {goal_shown}"
            if checked:
                target += " ok" if met(name, value) else " MISSED"
        lines.append(f"| {name} | {shown} | {target} |")
    return lines


def vars_of(fig: Figures) -> list[tuple[str, float]]:
    return [(name, float(getattr(fig, name))) for name in fig.__slots__ if name != "cases"]


def confusion(results: list[EvalResult]) -> list[str]:
    """The misses, confidently wrong ones first, then the most frequent expected-vs-got pairs."""
    misses = sorted(
        (r for r in results if not r.passed), key=lambda r: (not r.confidently_wrong, r.outcome)
    )
    pairs = Counter((r.case.expected[0], r.outcome) for r in misses)
    lines = ["\n## worst misses (confidently wrong first)"]
    lines += [
        f"- {'WRONG' if r.confidently_wrong else 'miss '} {r.case.question!r}: "
        f"expected {r.case.expected[0]}, got {r.outcome}"
        for r in misses[:WORST_MISSES]
    ]
    lines += ["\n## most frequent confusions"]
    lines += [f"- {want} -> {got}: {count}" for (want, got), count in pairs.most_common(10)]
    return lines


def reading_level() -> str:
    """The answers' Flesch-Kincaid grades and their longest sentence."""
    answers = [entry.answer for entry in load_knowledge()]
    grades = [flesch_kincaid(answer) for answer in answers]
    return (
        f"reading level of answers (Flesch-Kincaid grade): median {statistics.median(grades):.1f}"
        f", min {min(grades):.1f}, max {max(grades):.1f}, at or under grade {HIGHEST_GRADE:g}: "
        f"{sum(g <= HIGHEST_GRADE for g in grades)}/{len(grades)}; longest sentence "
        f"{max(longest_sentence(answer) for answer in answers)} words"
    )


async def main() -> int:
    started = time.perf_counter()
    faq = FaqAssistant()
    build_ms = (time.perf_counter() - started) * 1000
    await faq.warm_up()
    warm_ms = (time.perf_counter() - started) * 1000 - build_ms

    tuning = await run_all(faq, TUNING)
    validation = await run_all(faq, VALIDATION)
    held_out = await run_all(faq, HELD_OUT)
    held_figures = figures(held_out)
    lines = [
        f"index build {build_ms:.0f} ms (at server start); "
        f"embedding model load {warm_ms:.0f} ms (in the background)",
    ]
    lines += table("tuning", figures(tuning), checked=False)
    # The validation part has neither follow-ups nor crisis messages: those rows would read 100%.
    lines += table("validation", figures(validation), False, omit=("follow_up", "safety"))
    lines += table("held-out", held_figures, checked=True)
    lines += confusion(held_out)
    lines.append("\n" + reading_level())
    print("\n".join(lines))
    await faq.aclose()
    checks = [met(name, float(getattr(held_figures, name))) for name in TARGETS]
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
