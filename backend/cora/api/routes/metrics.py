from fastapi import APIRouter, Response

from cora.api.deps import StoreDep
from cora.metrics import record_pool, render

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics(store: StoreDep) -> Response:
    """Prometheus metrics: requests by route and status, latencies, store and pool figures."""
    database = getattr(store, "database", None)
    if database is not None:
        record_pool(database.pool_stats())
    body, content_type = render()
    return Response(body, media_type=content_type)
