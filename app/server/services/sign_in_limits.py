"""The sign-in's limits, kept in the audit log every server process shares.

An attempt is recorded (``sign_in_attempt``) before it is counted, and settled as what it
became: ``sign_in`` (the password was right), ``sign_in_refused`` (wrong: it counts against
the address and the e-mail), ``sign_in_unproven`` (refused before the password was checked,
for naming a device that is not the caller's, or for a wrong one-time code: it counts against
the address only) or ``sign_in_limited``. Within ``SIGN_IN_WINDOW``:

- an address may fail ``ADDRESS_MAX_FAILURES`` times, whatever the e-mails;
- an e-mail may fail ``SIGN_IN_MAX_FAILURES`` times from clients its account does not know;
  a client it knows (its device, or an address that signed in to it within ``KNOWN_FOR``)
  has a budget of its own, so that nobody who knows an e-mail can keep its owner out.

Each process also remembers whom it refused for a limit until the wait is over
(:class:`HeldBack`), so a flood costs no database writes; the database decides the rest.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, update

from app.domain.errors import (
    REASON_ADDRESS_LIMITED,
    REASON_EMAIL_LIMITED,
    DomainError,
    ErrorCode,
)
from app.server.tables import AUDIT, DEVICES

SIGN_IN_WINDOW = timedelta(minutes=10)
#: Failed sign-ins within the window: for an e-mail from clients it does not know (and so for
#: password guessing), and for one known client and the e-mail.
SIGN_IN_MAX_FAILURES = 5
#: Failed sign-ins within the window from one address, whatever the e-mails.
ADDRESS_MAX_FAILURES = 20
SIGN_IN_STALE = timedelta(minutes=1)
#: A client is known to an account when its device is linked to it, or when its address
#: signed in to it successfully within this time.
KNOWN_FOR = timedelta(days=90)
#: The audit events that count against an address, and against an e-mail.
ADDRESS_FAILURES = ("sign_in_refused", "sign_in_unproven")
EMAIL_FAILURES = ("sign_in_refused",)


class HeldBack:
    """Clients this process refused lately for a limit, refused again without asking the
    database until their wait is over, so a flood of sign-ins costs no writes (and no audit
    rows). Keyed by address, or by e-mail and address. Bounded: when full of live entries,
    the database decides as before."""

    MOST = 100_000

    def __init__(self) -> None:
        self._until: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: tuple[str, ...]) -> DomainError | None:
        """The 429 to answer if one of ``keys`` is held back, naming the longest wait's."""
        now = time.monotonic()
        with self._lock:
            waits = [(self._until.get(key, now) - now, key) for key in keys]
        longest, key = max(waits, default=(0.0, ("",)))
        if longest <= 0:
            return None
        return limited(key, max(1, math.ceil(longest)))

    def hold(self, key: tuple[str, ...], seconds: int) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._until) >= self.MOST:
                self._until = {k: until for k, until in self._until.items() if until > now}
                if len(self._until) >= self.MOST:
                    return
            self._until[key] = now + seconds


def limited(key: tuple[str, ...], retry_after: int) -> DomainError:
    """The 429 of a sign-in over the limit ``key`` names (by address, or by e-mail)."""
    reason = REASON_ADDRESS_LIMITED if key[0] == "address" else REASON_EMAIL_LIMITED
    return DomainError(ErrorCode.RATE_LIMITED, retry_after=retry_after, reason=reason)


def known(
    connection: Connection,
    account_id: int,
    email: str,
    device_id: str | None,
    address: str,
    now: datetime,
) -> bool:
    """Whether the client is one the account knows: its device, or an address it used."""
    if device_id is not None:
        device = connection.execute(
            select(DEVICES.c.id).where(
                DEVICES.c.id == device_id, DEVICES.c.account_id == account_id
            )
        ).first()
        if device is not None:
            return True
    used = connection.execute(
        select(AUDIT.c.id)
        .where(
            AUDIT.c.address == address,
            AUDIT.c.subject == email,
            AUDIT.c.event == "sign_in",
            AUDIT.c.at > now - KNOWN_FOR,
        )
        .limit(1)
    ).first()
    return used is not None


def over(
    connection: Connection, scope: Any, failures: tuple[str, ...], most: int, now: datetime
) -> int | None:
    """Seconds to wait if the ``failures`` (audit events) in ``scope``, with the attempts still
    under way (which may yet fail), are over ``most``; None if not."""
    refused, oldest = connection.execute(
        select(func.count(), func.min(AUDIT.c.at)).where(
            scope, AUDIT.c.event.in_(failures), AUDIT.c.at > now - SIGN_IN_WINDOW
        )
    ).one()
    # An attempt left behind by a request that died is forgotten after a minute.
    under_way = connection.execute(
        select(func.count()).where(
            scope, AUDIT.c.event == "sign_in_attempt", AUDIT.c.at > now - SIGN_IN_STALE
        )
    ).scalar_one()
    if refused + under_way <= most:
        return None
    if refused >= most:  # wait until the oldest failure ages out
        return max(1, int((oldest + SIGN_IN_WINDOW - now).total_seconds()) + 1)
    return 1  # only a burst of attempts at once: they settle within a second


def settle(
    connection: Connection,
    attempt: int,
    event: str,
    error: ErrorCode | None,
    subject: str | None = None,
) -> None:
    values = {"event": event, "error_code": error.value if error else None}
    connection.execute(
        update(AUDIT)
        .where(AUDIT.c.id == attempt)
        .values(**values, **({"subject": subject} if subject else {}))
    )
    connection.commit()
