from fastapi import APIRouter, Response

from cora.metrics import render

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics() -> Response:
    """Prometheus metrics: requests by route and status, latencies, store and pool figures."""
    body, content_type = render()
    return Response(body, media_type=content_type)
