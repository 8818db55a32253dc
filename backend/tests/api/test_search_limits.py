"""Search turns: one user's searches wait for each other, never for another user's."""

import asyncio

import pytest

from cora.api.errors import status_for
from cora.errors import SearchesBusy
from cora.services.search_limits import SearchTurns


async def test_a_busy_user_waits_then_is_told_to_retry_while_others_go_ahead() -> None:
    turns = SearchTurns(per_user=2, wait_seconds=0.2)
    release = asyncio.Event()
    holding = 0

    async def hold(user: str) -> None:
        nonlocal holding
        async with turns.turn(user):
            holding += 1
            await release.wait()

    holders = [asyncio.create_task(hold("alice")) for _ in range(2)]
    while holding < 2:
        await asyncio.sleep(0.01)
    with pytest.raises(SearchesBusy) as refused:
        async with turns.turn("alice"):
            pass
    assert status_for(refused.value) == 429
    async with asyncio.timeout(10), turns.turn("bob"):  # another user is not held up
        pass
    release.set()
    await asyncio.gather(*holders)
    async with asyncio.timeout(10), turns.turn("alice"):  # free again
        pass
    assert not turns._turns  # idle users are forgotten
