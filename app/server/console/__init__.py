"""The account console: a signed-in user's devices and licenses, and one reserve for all of
its devices, on the web.

Served by ``standby-server serve`` (and the app's embedded server) at ``/account/``, over the
same services as the device API. Pages are rendered on the server and work without
JavaScript: :mod:`.routes` (signing in, devices, licenses), :mod:`.reserve` (the account's
reserve), :mod:`.web` (what they share), :mod:`.words` (Polish).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from app.server.console import recovery, reserve, routes
from app.server.console.routes import (
    FormRefused,
    SignInFirst,
    forbidden,
    not_found,
    unavailable,
)
from app.server.console.web import HERE, PREFIX, SecurityHeaders, redirect, serves

__all__ = ["PREFIX", "SecurityHeaders", "mount", "not_found", "serves", "unavailable"]


def mount(api: FastAPI) -> None:
    """Serve the console at /account/ on ``api``."""
    api.include_router(routes.router)
    api.include_router(reserve.router)
    api.include_router(recovery.router)
    api.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @api.exception_handler(SignInFirst)
    async def _sign_in_first(_request: Request, exc: SignInFirst) -> Response:
        return redirect(f"{PREFIX}/sign-in" + ("?ended=1" if exc.ended else ""))

    @api.exception_handler(FormRefused)
    async def _refused(request: Request, _exc: FormRefused) -> Response:
        return forbidden(request)
