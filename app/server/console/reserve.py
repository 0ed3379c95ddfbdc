"""The account's reserve (``/account/reserve``): one code saved once for every device.

The code is checked in full for each device and a seat held for each that passes (see
:mod:`app.server.services.account_reserves`); the page then lists every device with what
became of it: held (and when it takes over), waiting for the device to sync, or refused and
why, with an offer to replace a device's own reserve.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.domain import codes
from app.domain.errors import DomainError
from app.server.console.routes import Form, Signed, not_found, run, services_of
from app.server.console.web import PREFIX, redirect, render
from app.server.services.account_reserves import Choose

router = APIRouter(prefix=PREFIX, include_in_schema=False)
PAGE = f"{PREFIX}/reserve"

#: The code itself refused, in words.
CODE_WORDS = {
    "invalid_format": "This is not an activation code. Check it and try again.",
    "code_not_found": "There is no such activation code. Check it and try again.",
    "code_blocked": "This activation code is blocked.",
    "code_expired": "This activation code can no longer be activated.",
    "reserve_already_set": "Your account has a reserve code already. Remove it first.",
}
#: Why a device got no reserve, in words (by error code, or the service's own reasons).
DEVICE_WORDS = {
    "reserve_already_set": "This device has a reserve code of its own.",
    "not_later_than_current": "It would not protect this device for longer than its license.",
    "same_code": "This device already uses this code.",
    "device_limit_reached": "The code has no free seat left for this device.",
    "subscription_no_reserve": "A subscription renews by itself and takes no reserve code.",
    "reserve_type_not_allowed": "This kind of code cannot follow this device's license.",
    "incompatible_version": "The Standby version on this device cannot use this code.",
    "code_expired": "This activation code can no longer be activated.",
    "code_blocked": "This activation code is blocked.",
    "needs_license": "This device has no license for a reserve to follow. Enter the code "
    "on the device itself.",
    "removed_on_device": "The reserve code was removed on the device.",
    "not_found": "The seat held for this device is gone.",
}
OTHER_REASON = "This code cannot be this device's reserve."


async def _page(request: Request, signed: Signed, status: int = 200, **context: Any) -> Response:
    services = services_of(request)
    reserve = await run(services.account_reserves.show, signed.account_id)
    devices = await run(services.fleet.devices, signed.account_id)
    return render(
        request,
        "reserve.html",
        status,
        signed=signed,
        reserve=reserve,
        devices=devices,
        device_words=lambda reason: DEVICE_WORDS.get(reason, OTHER_REASON),
        **context,
    )


@router.get("/reserve")
async def show(request: Request, signed: Signed) -> Response:
    removed = request.query_params.get("removed") == "1"
    return await _page(request, signed, request_removed=removed)


@router.post("/reserve")
async def save(request: Request, signed: Signed, form: Form) -> Response:
    text = form.get("code", "").strip()
    chosen = form.every("device") if form.get("choosing") else None
    services = services_of(request)
    try:
        await run(services.account_reserves.save, signed.account_id, text, chosen)
    except codes.InvalidCodeFormat:
        return await _page(request, signed, 400, code=text, error=CODE_WORDS["invalid_format"])
    except Choose as choice:
        return await _page(request, signed, 200, code=text, choose=choice)
    except DomainError as exc:
        words = CODE_WORDS.get(exc.code.value, OTHER_REASON)
        return await _page(request, signed, 409, code=text, error=words)
    return redirect(PAGE)


@router.post("/reserve/remove")
async def remove(request: Request, signed: Signed, form: Form) -> Response:
    await run(services_of(request).account_reserves.remove, signed.account_id)
    return redirect(f"{PAGE}?removed=1")


@router.post("/reserve/replace/{device_id}")
async def replace(request: Request, signed: Signed, form: Form, device_id: str) -> Response:
    replaced = await run(
        services_of(request).account_reserves.replace_on, signed.account_id, device_id
    )
    if not replaced:
        return not_found(request)
    return redirect(PAGE)
