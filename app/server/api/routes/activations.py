from __future__ import annotations

from fastapi import APIRouter, Response

from app import protocol
from app.server.api.deps import DeviceKeyDep, ServicesDep

router = APIRouter(tags=["activations"])


@router.post(
    "/activations",
    status_code=201,
    responses={200: {"model": protocol.Activation, "description": "the seat the device held"}},
)
async def activate(
    body: protocol.ActivationRequest, services: ServicesDep, key: DeviceKeyDep, response: Response
) -> protocol.Activation:
    """Activate a code on a device. 201 for a new seat, 200 when the device already held one."""
    result = await services.activations.activate(body.code, body.device_id, body.app_version, key)
    if not result.created:
        response.status_code = 200
    return result


@router.post("/reserve-checks")
def check_reserve(
    body: protocol.ReserveCheckRequest, services: ServicesDep, key: DeviceKeyDep
) -> protocol.ReserveCheck:
    """Decide what Save activation code does: activate now, or keep as the reserve code."""
    return services.reserves.check(body, key)


@router.post("/holds")
def hold(
    body: protocol.ReserveCheckRequest, services: ServicesDep, key: DeviceKeyDep
) -> protocol.ReserveCheck:
    """Save as the reserve, held: checked in full like a reserve check, then a seat of the
    code held for this device (it counts against the code's devices) and a license signed
    ahead, valid from when the current license ends (``nbf``). ``action`` "activate": nothing
    is held, save activates the code now."""
    return services.holds.hold(body, key)


@router.post("/holds/renew")
def renew_hold(
    body: protocol.HoldRenewal, services: ServicesDep, key: DeviceKeyDep
) -> protocol.ReserveCheck:
    """Check the held reserve again and sign its license from the current license's end as
    it stands now. A code that would now fail gives its seat back (the error says why);
    ``not_found`` (reason ``hold_gone``): the seat is no longer held."""
    return services.holds.renew(body.license, body.current_license, body.app_version, key)


@router.post("/holds/start")
def start_hold(
    body: protocol.LicenseRequest, services: ServicesDep, key: DeviceKeyDep
) -> protocol.Activation:
    """Start the held seat now (the current license was removed, lost or is blocked): its
    license, signed from now. Freeing a held seat: ``/deactivations`` with its license."""
    return services.holds.start(body.license, key)


@router.post("/deactivations")
def deactivate(
    body: protocol.LicenseRequest, services: ServicesDep, key: DeviceKeyDep
) -> protocol.Deactivation:
    """Remove the license from its device and free the seat."""
    return protocol.Deactivation(freed=services.licenses.deactivate(body.license, key))


@router.post("/licenses/status")
def status(
    body: protocol.StatusRequest, services: ServicesDep, key: DeviceKeyDep
) -> protocol.Status:
    """The license as the server sees it now (blocked, expiry), with a fresh token; the
    device's new name kept when it sends one."""
    return services.licenses.status(body, key)


@router.post("/licenses/restore")
def restore(
    body: protocol.RestoreRequest, services: ServicesDep, key: DeviceKeyDep
) -> protocol.Restored:
    """Every seat this device holds, each with its license signed now: in use, or held for
    its reserve (``held``, signed ahead from ``takes_over_at``). For a device whose own
    record is lost or cannot be trusted; only the device itself may ask (its registered key
    signs the call)."""
    return services.licenses.restore(body.device_id, key)
