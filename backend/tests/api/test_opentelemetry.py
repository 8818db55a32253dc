"""FastAPI's own OpenTelemetry spans: off unless `CORA_OPENTELEMETRY` asks for them.

The tracer provider is the process-wide one, as `opentelemetry-instrument cora serve` sets it.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cora.config import Settings
from cora.store import Stores
from tests.conftest import app_client

pytestmark = pytest.mark.parametrize("backend", ["json"], indirect=True)

EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


@pytest.mark.parametrize("enabled", [True, False])
async def test_requests_are_traced_only_when_asked(
    tmp_path: Path, stores: Stores, spans: InMemorySpanExporter, enabled: bool
) -> None:
    settings = Settings(data_dir=tmp_path, auth="none", opentelemetry=enabled)
    async with app_client(settings, stores) as client:
        created = await client.post("/sessions/alice")
        sid = created.json()["session_id"]
        appended = await client.post(
            f"/sessions/alice/{sid}/messages", json={"sender": "user", "text": "hello"}
        )
    assert (created.status_code, appended.status_code) == (201, 201)
    server_spans = [span for span in spans.get_finished_spans() if span.kind.name == "SERVER"]
    if not enabled:
        assert server_spans == []
        return
    statuses = [span.attributes["http.response.status_code"] for span in server_spans]
    assert statuses == [201, 201]
    assert server_spans[0].attributes["http.route"] == "/sessions/{user_id}"
