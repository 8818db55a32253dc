"""NaN, Infinity and -Infinity are not JSON (contract 0), nor a number past a float's range: 422
anywhere, nothing stored."""

import pytest

BODIES = [
    b'{"sender": "user", "text": "hi", "metadata": {"x": NaN}}',
    b'{"sender": "user", "text": "hi", "metadata": {"x": [1, Infinity]}}',
    b'{"sender": "user", "text": "hi", "metadata": {"deep": {"x": -Infinity}}}',
    b'{"sender": "user", "text": "hi", "metadata": {"n": 1e400}}',
    b'{"sender": "user", "text": "hi", "metadata": {"n": [-1.5E+999]}}',
]


@pytest.mark.parametrize("body", BODIES)
async def test_non_finite_numbers_in_a_message_are_422(client, body) -> None:
    created = (await client.post("/sessions/alice")).json()
    url = f"/sessions/alice/{created['session_id']}"
    answer = await client.post(
        f"{url}/messages", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "json_invalid"
    assert (await client.get(url)).json()["messages"] == []


async def test_non_finite_numbers_elsewhere_are_422(client) -> None:
    json = {"Content-Type": "application/json"}
    created = (await client.post("/sessions/alice")).json()
    url = f"/sessions/alice/{created['session_id']}"
    patch = await client.patch(url, content=b'{"metadata": {"score": NaN}}', headers=json)
    assert patch.status_code == 422
    new = await client.post(
        "/sessions/alice", content=b'{"metadata": {"n": Infinity}}', headers=json
    )
    assert new.status_code == 422
    assert (await client.get(url)).json()["metadata"] == created["metadata"]
    fine = await client.patch(url, content=b'{"metadata": {"score": 1.5e300}}', headers=json)
    assert fine.status_code == 200
    assert fine.json()["metadata"] == {"score": 1.5e300}
