from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from app.server.api.deps import ServicesDep
from app.server.api.schemas import ActivationRequest, LicenseRequest, ReserveCheckRequest

router = APIRouter(tags=["activations"])


@router.post("/activations", status_code=201)
async def activate(
    body: ActivationRequest, services: ServicesDep, response: Response
) -> dict[str, Any]:
    """Activate a code on a device. 201 for a new seat, 200 when the device already held one."""
    result = await services.activate_async(body.code, body.device_id, body.app_version)
    if not result.created:
        response.status_code = 200
    return {"license": result.token, "created": result.created, **result.info}


@router.post("/reserve-checks")
def check_reserve(body: ReserveCheckRequest, services: ServicesDep) -> dict[str, Any]:
    """Decide what Save activation code does: activate now, or keep as the reserve code."""
    result = services.check_reserve(
        body.code,
        device_id=body.device_id,
        app_version=body.app_version,
        current_license=body.current_license,
        saved_reserve=body.reserve_code,
        replace_reserve=body.replace_reserve,
    )
    return {"action": result.action, **(result.info or {})}


@router.post("/deactivations")
def deactivate(body: LicenseRequest, services: ServicesDep) -> dict[str, bool]:
    """Remove the license from its device and free the seat."""
    return {"freed": services.deactivate(body.license)}


@router.post("/licenses/status")
def status(body: LicenseRequest, services: ServicesDep) -> dict[str, Any]:
    """The license as the server sees it now (blocked, expiry), with a fresh token."""
    return services.status(body.license)
