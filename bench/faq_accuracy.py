"""FAQ assistant benchmark: top-1 accuracy over the evaluation tables and latency per answer.

Run from the repository root: .venv/bin/python bench/faq_accuracy.py
Exits with status 1 when a target is missed.
"""

import asyncio
import statistics
import sys
import time

from cora.assistant.faq import FaqAssistant
from cora.assistant.faq.eval_set import CASES, HELD_OUT, EvalResult, run_all

ACCURACY_TARGET = 0.90
LATENCY_TARGET_MS = 20.0
LOAD_TARGET_MS = 1000.0
ROUNDS = 5


def accuracy(results: list[EvalResult]) -> float:
    return sum(result.passed for result in results) / len(results)


def row(metric: str, value: str, target: str, verdict: str) -> str:
    return f"| {metric:<32} | {value:>9} | {target:>11} | {verdict:<6} |"


def verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


async def main() -> int:
    started = time.perf_counter()
    faq = FaqAssistant()
    load_ms = (time.perf_counter() - started) * 1000

    results = await run_all(faq, CASES)
    held_out = await run_all(faq, HELD_OUT)
    timings = [r.seconds * 1000 for _ in range(ROUNDS) for r in await run_all(faq, CASES)]

    top1, held = accuracy(results), accuracy(held_out)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    checks = [
        top1 >= ACCURACY_TARGET,
        median <= LATENCY_TARGET_MS,
        load_ms <= LOAD_TARGET_MS,
    ]
    lines = [
        row("metric", "value", "target", ""),
        row("-" * 32, "-" * 9, "-" * 11, "-" * 6),
        row(
            f"top-1 accuracy ({len(results)} cases)",
            f"{top1:.1%}",
            ">= 90%",
            verdict(checks[0]),
        ),
        row(f"top-1 held-out ({len(held_out)} cases)", f"{held:.1%}", "not tuned", ""),
        row(
            "median latency per answer",
            f"{median:.2f} ms",
            "<= 20 ms",
            verdict(checks[1]),
        ),
        row("p95 latency per answer", f"{p95:.2f} ms", "", ""),
        row("index build", f"{load_ms:.0f} ms", "< 1000 ms", verdict(checks[2])),
    ]
    print("\n".join(lines))
    for result in [r for r in results + held_out if not r.passed]:
        print(
            f"miss: {result.case.question!r}: expected {result.case.expected}, got {result.outcome}"
        )
    await faq.aclose()
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
