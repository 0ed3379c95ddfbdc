from __future__ import annotations

import time
from typing import Annotated, cast

from fastapi import Depends, Request

from app import device_proof
from app.domain.errors import DomainError, ErrorCode
from app.server.services import Services


async def get_services(request: Request) -> Services:
    # async on purpose: FastAPI runs a plain def dependency on its thread pool, a thread hop
    # per request for a dictionary lookup.
    return cast(Services, request.app.state.services)


async def device_key(request: Request) -> str:
    """The key that signed this call (checked here, without the database); which device it
    belongs to, the services check. Its headers are read as they are, not as FastAPI
    parameters (which cost each call more than the signature's check): the OpenAPI document
    describes them (:func:`app.server.api.app.document_device_proof`)."""
    headers = request.headers
    body = await request.body()  # the same bytes the body is read from (Starlette keeps them)
    try:
        return device_proof.verify(
            headers.get(device_proof.KEY_HEADER),
            headers.get(device_proof.PROOF_HEADER),
            request.method,
            request.url.path,
            body,
            time.time(),
        )
    except device_proof.ProofError as exc:
        raise DomainError(ErrorCode.DEVICE_NOT_PROVEN, str(exc), reason=exc.reason.value) from None


ServicesDep = Annotated[Services, Depends(get_services)]
#: The public key of the device that signed the call.
DeviceKeyDep = Annotated[str, Depends(device_key)]
