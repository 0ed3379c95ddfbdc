"""The console's pages: sign-in and sign-out, the account's devices, a device, its licenses.

Every page that shows the account asks for a signed-in session; without one the browser is
sent to the sign-in page. Every POST carries the session's CSRF token (the sign-in form the
token of its own cookie), or is refused with 403 before it does anything.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, cast

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.domain.errors import REASON_CODE_REFUSED, REASON_EMAIL_LIMITED, DomainError, ErrorCode
from app.server.console.web import (
    LANGUAGE_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Fields,
    form_of,
    redirect,
    render,
    safe_back,
    set_cookie,
    sign_in_token,
)
from app.server.console.words import LANGUAGES
from app.server.services import Services
from app.server.services.fleet import NotYours
from app.server.services.sessions import ConsoleCaller

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def services_of(request: Request) -> Services:
    return cast(Services, request.app.state.services)


async def run(function: Callable[..., Any], *args: Any) -> Any:
    """A service call (database work) on the server's threads."""
    return await anyio.to_thread.run_sync(function, *args)


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def not_found(request: Request) -> Response:
    return render(request, "error.html", 404, title="Page not found", signed=None)


def unavailable(request: Request) -> Response:
    """The database is away: 503, in the console's own words."""
    return render(
        request,
        "error.html",
        503,
        headers={"Retry-After": "5"},
        title="Try again shortly",
        message="The activation server cannot reach its database. Try again shortly.",
        signed=None,
    )


def forbidden(request: Request) -> Response:
    return render(request, "error.html", 403, title="The form has expired", signed=None)


class SignInFirst(Exception):
    """No signed-in session: the browser goes to the sign-in page (``ended``: it had one)."""

    def __init__(self, ended: bool) -> None:
        super().__init__("not signed in")
        self.ended = ended


class FormRefused(Exception):
    """A POST without the session's CSRF token: 403, nothing done."""


async def current(request: Request) -> ConsoleCaller:
    """The signed-in browser, or :class:`SignInFirst`."""
    token = request.cookies.get(SESSION_COOKIE)
    signed = await run(services_of(request).sessions.find, token) if token else None
    if signed is None:
        raise SignInFirst(ended=bool(token))
    return cast(ConsoleCaller, signed)


Signed = Annotated[ConsoleCaller, Depends(current)]


async def posted(request: Request, signed: Signed) -> Fields:
    """The fields of a signed-in browser's form, once its CSRF token is checked."""
    form = await form_of(request)
    if not signed.csrf_matches(form.get("csrf")):
        raise FormRefused
    return form


Form = Annotated[Fields, Depends(posted)]


@router.get("/")
async def home(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    signed = await run(services_of(request).sessions.find, token) if token else None
    return redirect(f"{PREFIX}/devices" if signed else f"{PREFIX}/sign-in")


@router.get("/language/{language}")
async def language(request: Request, language: str, back: str | None = None) -> Response:
    if language not in LANGUAGES:
        return not_found(request)
    response = redirect(safe_back(back))
    set_cookie(request, response, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return response


# --- signing in and out ----------------------------------------------------------------------


def sign_in_page(request: Request, status: int = 200, **context: Any) -> Response:
    token = sign_in_token(request)
    response = render(request, "sign_in.html", status, csrf=token, signed=None, **context)
    set_cookie(request, response, SIGN_IN_COOKIE, token)
    return response


@router.get("/sign-in")
async def sign_in_form(request: Request) -> Response:
    notice = None
    if request.query_params.get("ended"):
        notice = "Your session has ended. Sign in again."
    elif request.query_params.get("out") == "here":
        notice = "You are signed out."
    elif request.query_params.get("out") == "everywhere":
        notice = "You are signed out on every browser."
    return sign_in_page(request, notice=notice, email="")


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await form_of(request)
    expected = request.cookies.get(SIGN_IN_COOKIE)
    if not expected or form.get("csrf") != expected:
        return forbidden(request)
    email = form.get("email", "").strip()
    code = "".join(form.get("code", "").split()) or None
    services = services_of(request)
    try:
        account_id = await services.accounts.sign_in_console(
            email, form.get("password", ""), address_of(request), code
        )
    except ValueError:
        return _sign_in_refused(request, 400, "Enter the e-mail address of your account.", email)
    except DomainError as exc:
        # Held back for a stranger's failures: the owner may come in with a mailed code.
        offered = services.recovery.offered and (
            exc.reason in (REASON_EMAIL_LIMITED, REASON_CODE_REFUSED)
        )
        if exc.code is ErrorCode.RATE_LIMITED:
            wait = exc.retry_after or 1
            message = ("Too many attempts. Try again in {minutes} min.", math.ceil(wait / 60))
            headers = {"Retry-After": str(wait)}
            return _sign_in_refused(request, 429, message, email, headers, offered)
        if exc.reason == REASON_CODE_REFUSED:
            refused = "The one-time code is wrong or has expired. Ask for a new one."
            return _sign_in_refused(request, 401, refused, email, code_offered=offered)
        if exc.code is ErrorCode.UNAUTHORIZED:
            return _sign_in_refused(request, 401, "The e-mail or the password is wrong.", email)
        raise
    token = await run(services.sessions.start, account_id)
    response = redirect(f"{PREFIX}/devices")
    set_cookie(request, response, SESSION_COOKIE, token)
    response.delete_cookie(SIGN_IN_COOKIE, path=PREFIX)
    return response


def _sign_in_refused(
    request: Request,
    status: int,
    error: str | tuple[str, int],
    email: str,
    headers: dict[str, str] | None = None,
    code_offered: bool = False,
) -> Response:
    response = sign_in_page(request, status, error=error, email=email, code_offered=code_offered)
    if headers:
        response.headers.update(headers)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, signed: Signed, form: Form) -> Response:
    await run(services_of(request).sessions.end, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(f"{PREFIX}/sign-in?out=here")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.post("/sign-out-everywhere")
async def sign_out_everywhere(request: Request, signed: Signed, form: Form) -> Response:
    await run(services_of(request).sessions.end_everywhere, signed.account_id)
    response = redirect(f"{PREFIX}/sign-in?out=everywhere")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


# --- the account's devices and licenses --------------------------------------------------------


@router.get("/devices")
async def devices(request: Request, signed: Signed) -> Response:
    lines = await run(services_of(request).fleet.devices, signed.account_id)
    freed = request.query_params.get("freed") == "1"
    return render(request, "devices.html", signed=signed, devices=lines, freed=freed)


@router.get("/devices/{device_id}")
async def device(request: Request, signed: Signed, device_id: str) -> Response:
    return await _device_page(request, signed, device_id)


async def _device_page(
    request: Request, signed: ConsoleCaller, device_id: str, status: int = 200, **context: Any
) -> Response:
    try:
        line, releases = await run(services_of(request).fleet.device, signed.account_id, device_id)
    except NotYours:
        return not_found(request)
    if "saved" not in context:
        context["saved"] = request.query_params.get("saved") == "1"
    return render(
        request, "device.html", status, signed=signed, device=line, releases=releases, **context
    )


@router.post("/devices/{device_id}/name")
async def rename(request: Request, signed: Signed, form: Form, device_id: str) -> Response:
    try:
        await run(
            services_of(request).fleet.rename, signed.account_id, device_id, form.get("name", "")
        )
    except NotYours:
        return not_found(request)
    except ValueError:
        return await _device_page(
            request, signed, device_id, 400, name_error="A device name has 1 to 100 characters."
        )
    return redirect(f"{PREFIX}/devices/{device_id}?saved=1")


@router.get("/devices/{device_id}/free")
async def free_confirm(request: Request, signed: Signed, device_id: str) -> Response:
    try:
        line, releases = await run(services_of(request).fleet.device, signed.account_id, device_id)
    except NotYours:
        return not_found(request)
    return render(request, "free.html", signed=signed, device=line, releases=releases)


@router.post("/devices/{device_id}/free")
async def free(request: Request, signed: Signed, form: Form, device_id: str) -> Response:
    try:
        freed = await run(services_of(request).fleet.free, signed.account_id, device_id)
    except NotYours:
        return not_found(request)
    if not freed.done:
        return await _device_page(request, signed, device_id, 409, short=freed.short)
    return redirect(f"{PREFIX}/devices?freed=1")


@router.get("/licenses")
async def licenses(request: Request, signed: Signed) -> Response:
    lines = await run(services_of(request).fleet.licenses, signed.account_id)
    return render(request, "licenses.html", signed=signed, codes=lines)
