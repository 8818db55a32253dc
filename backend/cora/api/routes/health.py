from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cora.api.deps import StoreDep
from cora.api.errors import RETRY_AFTER_SECONDS
from cora.errors import StorageUnavailable
from cora.schemas import Health

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(store: StoreDep) -> Health | JSONResponse:
    """Storage answers: 200, else 503."""
    try:
        await store.ping()
    except StorageUnavailable:
        return JSONResponse(
            {"status": "unavailable", "detail": "storage does not answer"},
            status_code=503,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    return Health(status="ok")
