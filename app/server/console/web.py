"""What every console page shares: templates, language, cookies, security headers, dates.

Pages are rendered on the server (Jinja2, autoescaped), so they work without JavaScript; the
one script, from our own static files, only shows dates in the browser's time zone. The
Content-Security-Policy allows nothing but our own files: no inline script or style, no
framing.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.codes import mask_suffix
from app.domain.license import LicenseState, LicenseType
from app.server.console.words import LANGUAGES, best_language, translator
from app.server.services.fleet import DeviceLine

HERE = Path(__file__).resolve().parent
PREFIX = "/account"
SESSION_COOKIE = "standby_session"
#: Before sign-in there is no session: the sign-in form's CSRF token is this cookie's value
#: (a page of another site can neither read it nor set it).
SIGN_IN_COOKIE = "standby_sign_in"
LANGUAGE_COOKIE = "standby_language"
#: The most fields a form may have (the reserve's form has a check box per device).
MOST_FIELDS = 2000
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
HEADER_ITEMS = tuple(SECURITY_HEADERS.items())
_MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "pl": ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"],
}
STATE_WORDS = {
    LicenseState.ACTIVE: ("Active", "ok"),
    LicenseState.EXPIRING_SOON: ("Expires soon", "warn"),
    LicenseState.EXPIRED: ("Expired", "bad"),
    LicenseState.BLOCKED: ("Blocked", "bad"),
    LicenseState.TRIAL: ("Trial", "ok"),
    LicenseState.NONE: ("Not activated yet", "muted"),
}
TYPE_WORDS = {
    LicenseType.COMMERCIAL: "Commercial",
    LicenseType.SUBSCRIPTION: "Subscription",
    LicenseType.TRIAL: "Trial",
}


def device_tone(device: DeviceLine) -> str:
    """How a device's card is coloured: green protected, amber needs attention, red at risk.
    A license that ends soon (or has just ended) with a reserve held to take over is safe."""
    if device.current is None:
        return "bad"
    tone = STATE_WORDS[device.current.state][1]
    reserve = device.reserve
    if reserve is not None and reserve.at_risk:
        return "bad" if tone == "bad" else "warn"
    covered = device.current.state in (LicenseState.EXPIRING_SOON, LicenseState.EXPIRED)
    return "ok" if reserve is not None and covered else tone


templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def serves(path: str) -> bool:
    """Whether ``path`` is the console's."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return best_language(request.headers.get("accept-language"))


def when(moment: datetime | None, language: str) -> str:
    """A moment as the page says it before its script shows it in local time."""
    if moment is None:
        return ""
    month = _MONTHS[language][moment.month - 1]
    return f"{moment.day} {month} {moment.year}, {moment:%H:%M} UTC"


def time_tag(moment: datetime | None, language: str) -> Markup:
    """A moment as a ``<time>`` element, which the page's script shows in local time."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(
        moment.isoformat(), when(moment, language)
    )


def secure(request: Request) -> bool:
    """Whether the browser came over https (behind a trusted proxy, as it says)."""
    return request.url.scheme == "https"


def render(
    request: Request,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    language = language_of(request)
    words = translator(language)
    page = templates.get_template(template).render(
        _=words,
        lang=language,
        path=request.url.path,
        when=lambda moment: time_tag(moment, language),
        masked=mask_suffix,
        state_words=lambda state: (words(STATE_WORDS[state][0]), STATE_WORDS[state][1]),
        type_words=lambda kind: words(TYPE_WORDS[kind]),
        device_tone=device_tone,
        **context,
    )
    response = HTMLResponse(page, status_code=status, headers=headers)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def redirect(path: str) -> RedirectResponse:
    """After a form: see the page at ``path`` (303: the browser asks for it with GET)."""
    return RedirectResponse(path, status_code=303)


def set_cookie(request: Request, response: Response, name: str, value: str, **extra: Any) -> None:
    response.set_cookie(
        name,
        value,
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=secure(request),
        **extra,
    )


def sign_in_token(request: Request) -> str:
    """The sign-in form's CSRF token: the browser's, or a new one (set by the caller)."""
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)


class Fields(dict[str, str]):
    """A form's fields (``application/x-www-form-urlencoded``): the first value of each by
    name, and every value of a name in :meth:`every` (check boxes)."""

    def __init__(self, values: dict[str, list[str]]) -> None:
        super().__init__({name: found[0] for name, found in values.items()})
        self._values = values

    def every(self, name: str) -> list[str]:
        return list(self._values.get(name, []))


async def form_of(request: Request) -> Fields:
    body = (await request.body()).decode("utf-8", errors="replace")
    try:
        return Fields(parse_qs(body, max_num_fields=MOST_FIELDS))
    except ValueError:  # more fields than any form of ours has: read as none
        return Fields({})


def safe_back(path: str | None) -> str:
    """Where to go back to after switching languages: only a page of the console."""
    if path and path.startswith(PREFIX + "/") and "//" not in path and "\\" not in path:
        return path
    return PREFIX + "/"


class SecurityHeaders:
    """ASGI middleware: every answer under /account/ (pages, redirects, static files, errors)
    carries the console's security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not serves(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        extra = [
            (name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
        ]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
