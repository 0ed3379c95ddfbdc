"""The console's recovery pages: "Forgot your password?", the reset link's page, and the
sign-in page's "E-mail me a one-time code".

Nobody is signed in here, so each form carries the sign-in form's CSRF token (its cookie's
value). Every answer is the same whether or not an account has the address; the mail goes
out after the answer (a background task), so neither what the page says nor how long it
takes tells. The reset link's token is in the page's address: the server's access log shows
it as ``/account/reset/…`` (:class:`HideResetTokens`), so the log cannot reset a password.
"""

from __future__ import annotations

import hmac
import logging
import math
import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.background import BackgroundTask
from starlette.responses import Response

from app.domain.errors import DomainError, ErrorCode
from app.server.console.routes import (
    address_of,
    forbidden,
    run,
    services_of,
    sign_in_page,
)
from app.server.console.web import (
    PREFIX,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Fields,
    form_of,
    language_of,
    render,
    set_cookie,
    sign_in_token,
)
from app.server.services.recovery import MAX_PASSWORD, MIN_PASSWORD, Letter, NotOffered

router = APIRouter(prefix=PREFIX, include_in_schema=False)

#: A reset token in a logged request line, plain or percent-encoded (a language switch's
#: ``?back=``): what follows ``reset/`` up to the next separator.
_TOKEN_IN_PATH = re.compile(r"(reset(?:/|%2F))[^\s?&#/%]+", re.IGNORECASE)


class HideResetTokens(logging.Filter):
    """Shows reset tokens in uvicorn's access log as ``…``: whoever reads the log must not
    be able to use a link that is still live."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_PATH.sub(r"\1…", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_PATH.sub(r"\1…", record.msg)
        return True


def hide_reset_tokens() -> None:
    """Install :class:`HideResetTokens` on the access log (once)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(found, HideResetTokens) for found in access.filters):
        access.addFilter(HideResetTokens())


hide_reset_tokens()  # before the first request: uvicorn loads the app after its logging


async def _checked_form(request: Request) -> Fields | None:
    """The form's fields if it carries the browser's sign-in CSRF token, else None."""
    form = await form_of(request)
    expected = request.cookies.get(SIGN_IN_COOKIE)
    given = form.get("csrf", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return None
    return form


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A page with a form of the signed-out browser (its CSRF cookie set)."""
    token = sign_in_token(request)
    response = render(request, template, status, csrf=token, signed=None, **context)
    set_cookie(request, response, SIGN_IN_COOKIE, token)
    return response


def _posting(response: Response, request: Request, letter: Letter | None) -> Response:
    """``response``, with the letter posted once it is sent."""
    response.background = BackgroundTask(services_of(request).recovery.deliver, letter)
    return response


def _minutes(exc: DomainError) -> int:
    return math.ceil((exc.retry_after or 60) / 60)


# --- forgot the password -------------------------------------------------------------------


@router.get("/forgot")
async def forgot_form(request: Request) -> Response:
    offered = services_of(request).recovery.offered
    return _page(request, "forgot.html", offered=offered, email="")


@router.post("/forgot")
async def forgot(request: Request) -> Response:
    form = await _checked_form(request)
    if form is None:
        return forbidden(request)
    email = form.get("email", "").strip()
    recovery = services_of(request).recovery
    try:
        letter = await run(recovery.prepare_password_reset, email, language_of(request))
    except NotOffered:
        return _page(request, "forgot.html", 503, offered=False, email=email)
    except ValueError:
        error = "Enter the e-mail address of your account."
        return _page(request, "forgot.html", 400, offered=True, email=email, error=error)
    except DomainError as exc:
        if exc.code is not ErrorCode.RATE_LIMITED:
            raise
        error = "We e-mailed this address a short while ago. Try again in {minutes} min."
        response = _page(
            request, "forgot.html", 429, offered=True, email=email, error=(error, _minutes(exc))
        )
        response.headers["Retry-After"] = str(exc.retry_after or 60)
        return response
    response = _page(request, "forgot.html", offered=True, email=email, sent=True)
    return _posting(response, request, letter)


# --- the link that resets it ---------------------------------------------------------------


@router.get("/reset/{token}")
async def reset_form(request: Request, token: str) -> Response:
    email = await run(services_of(request).recovery.reset_target, token)
    if email is None:
        return _page(request, "reset.html", 410, dead=True)
    return _page(request, "reset.html", email=email)


@router.post("/reset/{token}")
async def reset(request: Request, token: str) -> Response:
    form = await _checked_form(request)
    if form is None:
        return forbidden(request)
    password = form.get("password", "")
    recovery = services_of(request).recovery
    error = None
    if password != form.get("password_again", ""):
        error = "The two passwords differ. Type the same password twice."
    elif len(password) < MIN_PASSWORD:
        error = "A password has at least 8 characters."
    elif len(password) > MAX_PASSWORD:
        error = "A password has at most 1024 characters."
    if error is not None:
        email = await run(recovery.reset_target, token)
        if email is None:
            return _page(request, "reset.html", 410, dead=True)
        return _page(request, "reset.html", 400, email=email, error=error)
    done = await run(recovery.reset_password, token, password, None, address_of(request))
    if not done:
        return _page(request, "reset.html", 410, dead=True)
    response = _page(request, "reset.html", done=True)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)  # its session has ended
    return response


# --- a one-time code for the sign-in -------------------------------------------------------


@router.post("/sign-in-code")
async def sign_in_code(request: Request) -> Response:
    """Mail a one-time code for the sign-in form's address, then show the sign-in page
    again, with the code's field."""
    form = await _checked_form(request)
    if form is None:
        return forbidden(request)
    email = form.get("email", "").strip()
    recovery = services_of(request).recovery
    try:
        letter = await run(recovery.prepare_sign_in_code, email, language_of(request))
    except NotOffered:
        error = "This server sends no e-mail, so it cannot send you a one-time code."
        return sign_in_page(request, 503, error=error, email=email)
    except ValueError:
        error = "Enter the e-mail address of your account."
        return sign_in_page(request, 400, error=error, email=email, code_offered=True)
    except DomainError as exc:
        if exc.code is not ErrorCode.RATE_LIMITED:
            raise
        error = "We e-mailed this address a short while ago. Try again in {minutes} min."
        response = sign_in_page(
            request, 429, error=(error, _minutes(exc)), email=email, code_offered=True
        )
        response.headers["Retry-After"] = str(exc.retry_after or 60)
        return response
    notice = (
        "If an account exists for that address, we e-mailed it a one-time code. "
        "It works once, for 10 minutes."
    )
    response = sign_in_page(request, notice=notice, email=email, code_offered=True, code_sent=True)
    return _posting(response, request, letter)
