"""The FastAPI application and the error handling that keeps every failure in one shape."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__, device_proof, protocol
from app.domain.errors import MESSAGES, DomainError, ErrorCode
from app.server import console as account_console
from app.server.api.forwarded import ForwardedFor
from app.server.api.limits import RefusalLimit, Refusals
from app.server.api.routes import accounts, activations, meta, recovery
from app.server.api.statuses import HTTP_STATUS
from app.server.db import DatabaseBusy, make_engine
from app.server.mail import Mailer
from app.server.services import Services
from app.server.services.counts import WINDOW_SECONDS, SharedCounts
from app.server.settings import ServerSettings, current

log = logging.getLogger("standby.server")
MAX_BODY_BYTES = 64 * 1024
PRUNE_EVERY_SECONDS = 3600

#: The error answers the device API gives, documented on each of its operations.
ERROR_ANSWERS: dict[int | str, dict[str, Any]] = {
    status: {"model": protocol.ErrorAnswer, "description": description}
    for status, description in (
        (
            401,
            "a license this server did not sign, or for another device; a call the device "
            "did not prove it made (device_not_proven)",
        ),
        (403, "the code is blocked, or needs an account"),
        (404, "no such code, address or held seat"),
        (409, "the code cannot do this now (device limit, reserve rules, app version)"),
        (410, "the code has expired"),
        (413, "the request body is too large"),
        (422, "the request is malformed"),
        (429, "too many attempts: wait Retry-After seconds"),
        (503, "the database is unavailable: try again after Retry-After seconds"),
    )
}


def error_response(
    code: ErrorCode,
    message: str | None = None,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> JSONResponse:
    error = {"code": code.value, "message": message or MESSAGES[code]}
    if reason:
        error["reason"] = reason
    return JSONResponse(
        {"error": error},
        status_code=status or HTTP_STATUS[code],
        headers=dict(headers) if headers else None,
    )


async def _record_held_back(services: Services, refusals: Refusals) -> None:
    """Record the requests held back for too many refusals (one audit row per address and
    minute), and delete the limits' counts whose window is long over."""
    while True:
        await asyncio.sleep(WINDOW_SECONDS)
        held_back = refusals.take_held_back()
        try:
            if held_back:
                await anyio.to_thread.run_sync(services.audit.record_held_back, held_back)
            await anyio.to_thread.run_sync(refusals.counts.tidy)
        except Exception as exc:  # the database is away: the counts are lost, not the API
            log.warning("held-back requests not recorded: %s", exc.__class__.__name__)


async def _prune(services: Services, retention_seconds: int) -> None:
    """Delete audit rows older than the retention now and every hour (``serve`` sets it)."""
    while True:
        try:
            deleted = await anyio.to_thread.run_sync(
                services.audit.prune, timedelta(seconds=retention_seconds)
            )
            if deleted:
                log.info("audit log: %d rows older than %d s deleted", deleted, retention_seconds)
        except Exception as exc:  # the database is away: the next hour tries again
            log.warning("audit log not pruned: %s", exc.__class__.__name__)
        await asyncio.sleep(PRUNE_EVERY_SECONDS)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, and bodies that do not arrive
    within ``seconds`` with 408, before any handler reads them."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES, seconds: float = 10.0) -> None:
        self.app = app
        self.limit = limit
        #: A client that sends part of a body and stalls gets a 408 after this.
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = error_response(
            ErrorCode.VALIDATION_ERROR, f"The request body is larger than {self.limit} bytes.", 413
        )
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        try:
            async with asyncio.timeout(self.seconds):
                while more:
                    message = await receive()
                    if message["type"] != "http.request":
                        break
                    chunks.append(message.get("body", b""))
                    size += len(chunks[-1])
                    if size > self.limit:
                        await too_large(scope, receive, send)
                        return
                    more = message.get("more_body", False)
        except TimeoutError:
            too_slow = error_response(
                ErrorCode.VALIDATION_ERROR,
                f"The request body did not arrive within {self.seconds:g} seconds.",
                408,
                {"Connection": "close"},
            )
            await too_slow(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _describe(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return MESSAGES[ErrorCode.VALIDATION_ERROR]
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    if first.get("type") == "json_invalid":
        return "The request body is not valid JSON."
    return f"{where or 'body'}: {first.get('msg', 'invalid')}"


#: The headers of a device's proof, as the OpenAPI document describes them on every POST (the
#: dependency that checks them reads them itself: see ``app.server.api.deps.device_key``).
PROOF_PARAMETERS = [
    {
        "name": device_proof.KEY_HEADER,
        "in": "header",
        "required": False,
        "description": "The device's public key (Ed25519, base64url, 43 characters).",
        "schema": {"type": "string"},
    },
    {
        "name": device_proof.PROOF_HEADER,
        "in": "header",
        "required": False,
        "description": "`<unix seconds>.<signature>`: the device's Ed25519 signature "
        "(base64url) over the method, the path, those seconds and the body's SHA-256. "
        "Without a valid one: 401 device_not_proven.",
        "schema": {"type": "string"},
    },
]


def document_device_proof(api: FastAPI) -> None:
    """Every POST acts for a device: its OpenAPI operation lists the proof's headers."""
    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            schema = build()
            for operations in schema["paths"].values():
                if "post" in operations:
                    operations["post"].setdefault("parameters", []).extend(PROOF_PARAMETERS)
        return api.openapi_schema or build()

    api.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the app; with no settings, this process's (how uvicorn's workers start)."""
    settings = settings or current()
    engine = make_engine(settings.database_url)
    services = Services(engine, mailer=Mailer.of(settings), public_url=settings.public_url)
    refusals = Refusals(SharedCounts(services.store), settings.refusals_per_minute)

    @asynccontextmanager
    async def lifespan(_api: FastAPI) -> AsyncIterator[None]:
        retention = settings.audit_retention_seconds
        tasks = [asyncio.create_task(_record_held_back(services, refusals))]
        if retention:
            tasks.append(asyncio.create_task(_prune(services, int(retention))))
        yield
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            services.audit.record_held_back(refusals.take_held_back())
        except Exception as exc:  # the database is away: the counts are lost, not the stop
            log.warning("held-back requests not recorded: %s", exc.__class__.__name__)
        services.close()  # finish queued writes, then close the connections

    docs = settings.server_docs
    api = FastAPI(
        title="Standby activation server",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    api.state.services = services
    api.include_router(meta.router, prefix="/api/v1")
    for router in (activations.router, accounts.router, recovery.router):
        api.include_router(router, prefix="/api/v1", responses=ERROR_ANSWERS)
    document_device_proof(api)
    console = not settings.no_console
    if console:
        account_console.mount(api)

    _answer_errors(api, console)
    api.add_middleware(BodyLimit, seconds=settings.body_seconds)

    def wait_answer(seconds: int) -> ASGIApp:
        return error_response(ErrorCode.RATE_LIMITED, headers={"Retry-After": str(seconds)})

    api.add_middleware(RefusalLimit, refusals=refusals, answer=wait_answer)
    if console:
        api.add_middleware(account_console.SecurityHeaders)
    # Outermost: everything inside sees the client a trusted proxy names.
    api.add_middleware(ForwardedFor, trusted=list(settings.trusted_proxies))
    return api


def _answer_errors(api: FastAPI, console: bool) -> None:
    """How each kind of failure is answered: the API's error body, or the console's own
    page for its paths."""

    @api.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return error_response(exc.code, exc.message, headers=headers, reason=exc.reason)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(ErrorCode.VALIDATION_ERROR, _describe(exc))

    @api.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if console and exc.status_code == 404 and account_console.serves(request.url.path):
            return account_console.not_found(request)  # its own page, in the user's language
        if exc.status_code == 404:
            return error_response(ErrorCode.NOT_FOUND)
        if exc.status_code == 400:  # a body FastAPI could not parse at all (e.g. nested too deep)
            return error_response(ErrorCode.VALIDATION_ERROR, "The request body is not valid JSON.")
        if exc.status_code == 405:  # the methods it does take are in Allow
            return error_response(ErrorCode.METHOD_NOT_ALLOWED, headers=exc.headers)
        return error_response(
            ErrorCode.VALIDATION_ERROR, str(exc.detail), exc.status_code, exc.headers
        )

    @api.exception_handler(OperationalError)
    @api.exception_handler(PoolTimeout)
    @api.exception_handler(DatabaseBusy)
    async def _database(request: Request, exc: Exception) -> Response:
        log.error("database unavailable: %s", exc.__class__.__name__)
        if console and account_console.serves(request.url.path):
            return account_console.unavailable(request)
        return error_response(
            ErrorCode.INTERNAL_ERROR,
            "The activation server cannot reach its database. Try again shortly.",
            503,
            {"Retry-After": "5"},
        )

    @api.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(ErrorCode.INTERNAL_ERROR)
