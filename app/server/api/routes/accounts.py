from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request

from app import protocol
from app.domain.errors import DomainError, ErrorCode
from app.server.api.deps import DeviceKeyDep, ServicesDep

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.post("/sign-in")
async def sign_in(
    body: protocol.SignInRequest, services: ServicesDep, key: DeviceKeyDep, request: Request
) -> protocol.SignedIn:
    """Connect the device to an account (needed by codes that require one)."""
    address = request.client.host if request.client else "unknown"
    try:
        email = await services.accounts.sign_in(
            body.email,
            body.password,
            body.device_id,
            address,
            key,
            body.device_name,
            body.one_time_code.replace(" ", "") if body.one_time_code else None,
        )
    except ValueError as exc:
        raise DomainError(ErrorCode.VALIDATION_ERROR, str(exc)) from exc
    # The account's reserve, if it has one, for this device too (at its next status sync).
    await anyio.to_thread.run_sync(services.account_reserves.join, body.device_id)
    return protocol.SignedIn(email=email, device_id=body.device_id)
