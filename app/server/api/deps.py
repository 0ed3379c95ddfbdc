from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from app.server.services import Services


async def get_services(request: Request) -> Services:
    # async on purpose: FastAPI runs a plain def dependency on its thread pool, a thread hop
    # per request for a dictionary lookup.
    return cast(Services, request.app.state.services)


ServicesDep = Annotated[Services, Depends(get_services)]
