"""``standby account ...`` carried out on an engine (parsed by :mod:`.account_cli`): sign
in, have a one-time code mailed, sign out; each answers with a :class:`~.results.Result`."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.domain.names import NAME_MOST
from app.engine.results import ACCOUNT_PROG as PROG
from app.engine.results import DONE, USAGE, Result, failed, once, refused
from app.engine.vocabulary import (
    ADDRESS_LIMITED,
    CODE_REFUSED,
    EMAIL_LIMITED,
    MAIL_LIMITED,
    MAIL_NOT_OFFERED,
    Failure,
)

if TYPE_CHECKING:
    from app.engine.engine import Engine


def run(engine: Engine, request: dict[str, Any], done: Callable[[Result], None]) -> None:
    """One ``account`` request on a loaded ``engine``; ``done`` gets its result."""

    action = request.get("action")
    email = str(request.get("email", ""))
    if action == "sign-in":
        name = request.get("name")
        if name is not None and not engine.rename_device(str(name)):
            done(Result(USAGE, err=f"{PROG}: --name must have 1 to {NAME_MOST} characters\n"))
            return
        code = request.get("code")
        once(engine.signInFinished, lambda failure: done(_signed_in(engine, email, failure)))
        engine.sign_in(email, str(request.get("password", "")), str(code) if code else None)
    elif action == "send-code":
        once(engine.signInCodeSent, lambda failure: done(_code_sent(engine, email, failure)))
        engine.send_sign_in_code(email, str(request.get("language") or "en"))
    elif action == "sign-out":
        before = engine.snapshot.account_email
        if before is None:
            done(Result(0, out="Not signed in on this device\n"))
            return
        once(engine.signOutFinished, lambda failure: done(_signed_out(before, failure)))
        engine.sign_out()
    else:
        done(Result(USAGE, err=f"{PROG}: unknown action {action!r}\n"))


def _signed_in(engine: Engine, email: str, failure: Failure | None) -> Result:

    if failure is not None and failure.reason == EMAIL_LIMITED:
        return refused(
            failure.key,
            "wrong passwords were tried for this account from other computers, so signing in "
            f"from a new device is paused{_for_about(failure.retry_after)}. Get a one-time "
            f"code by e-mail: {PROG} send-code {email}, then sign in again with --code CODE "
            f"({EMAIL_LIMITED})",
        )
    if failure is not None and failure.reason == ADDRESS_LIMITED:
        return refused(
            failure.key,
            "too many sign-ins failed from this network; try again"
            f"{_in_about(failure.retry_after)} ({ADDRESS_LIMITED})",
        )
    if failure is not None and failure.reason == CODE_REFUSED:
        return refused(
            failure.key,
            "the one-time code is wrong, already used or expired; get another with "
            f"{PROG} send-code {email} ({CODE_REFUSED})",
        )
    if failure is not None:
        return failed(failure)
    snap = engine.snapshot
    return Result(
        DONE,
        out=f"Signed in: this device ({snap.device_name}) is connected to the account "
        f"{snap.account_email}\n",
    )


def _code_sent(engine: Engine, email: str, failure: Failure | None) -> Result:

    if failure is None:
        return Result(
            DONE,
            out=f"If {email} has an account, a one-time sign-in code is on its way to it; it "
            f"is valid for 10 minutes. Then: {PROG} sign-in {email} --password-stdin --code "
            "CODE\n",
        )
    if failure.reason == MAIL_NOT_OFFERED:
        page = f"{engine.api.base_url}/account/forgot"
        return refused(
            MAIL_NOT_OFFERED,
            "this activation server sends no e-mail, so it cannot send a code; wait until "
            f"signing in is no longer paused, or reset the password at {page}",
        )
    if failure.reason == MAIL_LIMITED:
        return refused(
            failure.key,
            "a code was e-mailed to this address a short while ago; use that one, or ask "
            f"again{_in_about(failure.retry_after)} ({MAIL_LIMITED})",
        )
    return failed(failure)


def _minutes(seconds: float | None) -> int | None:
    return None if seconds is None else max(1, math.ceil(seconds / 60))


def _for_about(seconds: float | None) -> str:
    minutes = _minutes(seconds)
    return "" if minutes is None else f" for about {minutes} minute{'s' * (minutes != 1)}"


def _in_about(seconds: float | None) -> str:
    minutes = _minutes(seconds)
    return " later" if minutes is None else f" in about {minutes} minute{'s' * (minutes != 1)}"


def _signed_out(email: str, failure: Failure | None) -> Result:

    if failure is not None:
        return failed(failure)
    return Result(
        DONE,
        out=f"Signed out of {email} on this device (local only: the account console lists "
        "this device until it is freed there)\n",
    )
