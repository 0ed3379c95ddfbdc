from __future__ import annotations

from fastapi import APIRouter, Response

from app import protocol
from app.server.api.deps import ServicesDep

router = APIRouter(tags=["activations"])


@router.post("/activations", status_code=201)
async def activate(
    body: protocol.ActivationRequest, services: ServicesDep, response: Response
) -> protocol.Activation:
    """Activate a code on a device. 201 for a new seat, 200 when the device already held one."""
    result = await services.activations.activate_async(body.code, body.device_id, body.app_version)
    if not result.created:
        response.status_code = 200
    return result


@router.post("/reserve-checks")
def check_reserve(
    body: protocol.ReserveCheckRequest, services: ServicesDep
) -> protocol.ReserveCheck:
    """Decide what Save activation code does: activate now, or keep as the reserve code."""
    return services.reserves.check(
        body.code,
        device_id=body.device_id,
        app_version=body.app_version,
        current_license=body.current_license,
        saved_reserve=body.reserve_code,
        replace_reserve=body.replace_reserve,
    )


@router.post("/deactivations")
def deactivate(body: protocol.LicenseRequest, services: ServicesDep) -> protocol.Deactivation:
    """Remove the license from its device and free the seat."""
    return protocol.Deactivation(freed=services.licenses.deactivate(body.license))


@router.post("/licenses/status")
def status(body: protocol.LicenseRequest, services: ServicesDep) -> protocol.Status:
    """The license as the server sees it now (blocked, expiry), with a fresh token."""
    return services.licenses.status(body.license)
