"""What operators see: metrics from every worker, readiness, and the start-up log."""

import httpx
import orjson


def test_metrics_count_requests_by_route_across_workers(server_factory) -> None:
    server = server_factory("--auth", "none", "--workers", "2")
    with httpx.Client(base_url=server.url) as http:
        session_id = http.post("/sessions/alice").json()["session_id"]
        for _ in range(20):
            http.post(
                f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": "hi"}
            )
        http.get(f"/sessions/alice/{session_id}")
        text = http.get("/metrics").text
    appends = [
        line
        for line in text.splitlines()
        if line.startswith("cora_http_requests_total")
        and 'route="/sessions/{user_id}/{session_id}/messages"' in line
        and 'status="201"' in line
    ]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in appends) == 20
    assert 'cora_store_operation_duration_seconds_count{backend="json",operation="append"}' in text


def _samples(text: str, name: str) -> dict[str, float]:
    """The values of one metric in an exposition text, by their label set."""
    return {
        line[len(name) :].rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{")
    }


def test_metrics_count_what_the_assistant_answered_and_declined(server_factory) -> None:
    server = server_factory("--auth", "none", "--workers", "2")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        base = f"/sessions/alice/{http.post('/sessions/alice').json()['session_id']}"
        asked = [
            "What is a deductible?",
            "How do I file a claim?",
            "write me a poem",
            "hello",
            "my kitchen is on fire right now",
        ]
        for question in asked:
            assert http.post(f"{base}/chat", json={"text": question}).status_code == 201
        text = http.get("/metrics").text

    assert _samples(text, "cora_assistant_replies_total") == {
        '{kind="answered",status="complete"}': 2,
        '{kind="declined",status="complete"}': 1,
        '{kind="small_talk",status="complete"}': 1,
        '{kind="safety",status="complete"}': 1,
    }


def test_metrics_count_ratings_given_not_requests(server_factory) -> None:
    server = server_factory("--auth", "none", "--workers", "2")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        base = f"/sessions/alice/{http.post('/sessions/alice').json()['session_id']}"
        first, second = (
            http.post(f"{base}/chat", json={"text": text}).json()["reply"]["id"]
            for text in ("What is a deductible?", "How do I file a claim?")
        )
        feedback = [
            (first, {"rating": "down"}),
            (first, {"rating": "down", "comment": "not my deductible"}),  # the same rating
            (first, {"rating": "up"}),  # changed: counts
            (first, None),  # cleared: nothing to count
            (first, {"rating": "up"}),  # given again after clearing: counts
            (second, {"rating": "down"}),
        ]
        for message_id, given in feedback:
            patch = http.patch(  # a new connection each: any worker may take it
                f"{base}/messages/{message_id}",
                json={"feedback": given},
                headers={"Connection": "close"},
            )
            assert patch.status_code == 200, patch.text
        text = http.get("/metrics").text

    assert _samples(text, "cora_reply_ratings_total") == {'{rating="down"}': 2, '{rating="up"}': 2}


def test_the_start_up_log_says_what_an_operator_needs(server_factory) -> None:
    server = server_factory("--auth", "none")
    server.stop()
    entries = [orjson.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    start = next(e for e in entries if e["message"].startswith("starting cora"))
    assert start["config"]["storage"] == "json" and start["config"]["auth"] == "none"
    assert any(e["level"] == "warning" and "auth mode 'none'" in e["message"] for e in entries)
