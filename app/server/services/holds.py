"""Seats held for a reserve and the licenses signed ahead for them (domain.md section 6).

When a reserve is saved, :meth:`Holds.hold` verifies the code in full (as a reserve check
does), takes a seat of it for the device, counted against the code's devices from then on,
and signs a license that starts when the current one ends: the device installs it at that
instant with no network. At each status sync :meth:`Holds.renew` checks the code again and
moves the start to the current license's end as it stands; a code that would now fail gives
its seat back and says why. :meth:`Holds.start` starts the held seat now (the current license
removed, lost or blocked). Freeing a held seat is a deactivation of its license.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from app import protocol
from app.domain import codes
from app.domain.errors import (
    REASON_HOLD_ENDED,
    REASON_HOLD_GONE,
    REASON_SEAT_FREED,
    DomainError,
    ErrorCode,
)
from app.domain.license import CodeFacts, CurrentLicense, LicenseType, check_reserve_code
from app.server.records import Seat, code_of, fields_of, license_facts
from app.server.secrets import CodeHasher
from app.server.services.audit import Audit
from app.server.services.devices import register_key
from app.server.services.licenses import Licenses
from app.server.services.reserves import Reserves
from app.server.services.seats import free_seat
from app.server.services.store import RETRIES, Store, utcnow
from app.server.tables import (
    CODES,
    FIRST_ACTIVATION,
    FREED,
    HOLD_SEAT,
    INSERT_AUDIT,
    INSERT_DEVICE,
    INSERT_SEAT,
    MOVE_HOLD,
    SEATS,
    SELECT_CODES_FOR_UPDATE,
    SELECT_DEVICES_AND_SEATS,
    START_SEAT,
)


def _gone(freed: bool = False) -> DomainError:
    if freed:
        return DomainError(
            ErrorCode.NOT_FOUND,
            "The seats of this device were freed from its account.",
            reason=REASON_SEAT_FREED,
        )
    return DomainError(
        ErrorCode.NOT_FOUND,
        "The seat held for this reserve code is gone: save the code again.",
        reason=REASON_HOLD_GONE,
    )


class Holds:
    def __init__(
        self,
        store: Store,
        audit: Audit,
        hasher: CodeHasher,
        licenses: Licenses,
        reserves: Reserves,
    ) -> None:
        self.store = store
        self.audit = audit
        self.hasher = hasher
        self.licenses = licenses
        self.reserves = reserves

    def hold(self, request: protocol.ReserveCheckRequest, key: str) -> protocol.ReserveCheck:
        """Save as the reserve, held: the reserve check, then a seat held for the device
        (signed with ``key``) and its license signed ahead. ``action`` "activate": nothing is
        held (save activates)."""
        answer = self.reserves.check(request, key)
        if answer.action != "reserve" or answer.takes_over_at is None:
            return answer
        start = answer.takes_over_at
        device_id, app_version = request.device_id, request.app_version
        digest = self.hasher.digest(codes.normalize(request.code))
        for _attempt in range(RETRIES):
            with self.store.connection() as connection:
                try:
                    code, seat = self._take(connection, digest, device_id, app_version, start, key)
                except DomainError:
                    connection.commit()  # the refusal's audit row
                    raise
                except IntegrityError:
                    continue  # the device or its seat appeared meanwhile: look again
                connection.commit()
            if seat is None:  # the device has this code in use already: nothing to hold
                return answer
            return replace(
                answer, devices_used=code.devices_used, license=self.licenses.sign(code, seat)
            )
        raise DomainError(ErrorCode.INTERNAL_ERROR, "The reserve could not be held.")

    def _take(
        self,
        connection: Connection,
        digest: bytes,
        device_id: str,
        app_version: str,
        start: datetime,
        key: str,
    ) -> tuple[CodeFacts, Seat | None]:
        """Hold a seat of the code for the device from ``start``, under the code's lock (the
        seat count is exact however many devices race for the last one)."""
        row = connection.execute(SELECT_CODES_FOR_UPDATE, {"digests": [digest]}).first()
        if row is None:
            raise DomainError(ErrorCode.CODE_NOT_FOUND)
        code = code_of(row)
        refuse = partial(
            self.audit.refuse,
            connection,
            event="hold_refused",
            code=code,
            device_id=device_id,
            commit=False,
        )
        self.audit.prove(connection, device_id, key, event="hold_refused", code=code, commit=False)
        known = connection.execute(
            SELECT_DEVICES_AND_SEATS[connection.dialect.name],
            {"codes": [code.id], "devices": [device_id]},
        ).first()
        if code.requires_account and (known is None or known.account_id is None):
            # The license signed ahead is installed with no server to ask: whatever the
            # activation would require is required now.
            raise refuse(DomainError(ErrorCode.ACCOUNT_REQUIRED))
        if known is not None and known.seat_id is not None:
            if known.seat_held_from is None:
                register_key(connection, device_id, key)
                return code, None
            seat = Seat(known.seat_id, device_id, start, start)
            connection.execute(MOVE_HOLD, {"seat": seat.id, "start": start})
        else:
            if connection.execute(HOLD_SEAT, {"code": code.id}).rowcount != 1:
                raise refuse(DomainError(ErrorCode.DEVICE_LIMIT_REACHED))
            if known is None:
                connection.execute(
                    INSERT_DEVICE,
                    {"id": device_id, "first_seen_at": utcnow(), "public_key": key},
                )
            seat = Seat(secrets.token_hex(16), device_id, start, start)
            connection.execute(
                INSERT_SEAT,
                {
                    "id": seat.id,
                    "code_id": code.id,
                    "device_id": device_id,
                    "activated_at": start,
                    "held_from": start,
                    "app_version": app_version,
                },
            )
            code = replace(code, devices_used=code.devices_used + 1)
        register_key(connection, device_id, key)  # accepted: a device from before keys
        self._record(connection, "hold", code, device_id)
        return code, seat

    def renew(
        self, held_token: str, current_token: str, app_version: str, key: str
    ) -> protocol.ReserveCheck:
        """Check the held reserve again behind the current license as it stands now, and
        sign its license again from that license's end. A code that would now fail (blocked,
        no longer fitting this app version, …) gives its seat back, and the refusal says why."""
        held = self.licenses.read(held_token)
        device_id = str(held["sub"])
        current = self.licenses.read(current_token, device_id)
        now = utcnow()
        with self.store.connection() as connection:
            seat, code = self._held(connection, held, key)
            current_blocked = connection.execute(
                select(CODES.c.blocked)
                .join(SEATS, SEATS.c.code_id == CODES.c.id)
                .where(SEATS.c.id == current["lid"])
            ).scalar()
            behind = CurrentLicense(
                type=LicenseType(current["type"]),
                expires_at=datetime.fromtimestamp(current["expires_at"], UTC),
                blocked=bool(current_blocked),
            )
            try:
                expiry = check_reserve_code(
                    behind, code, now=now, app_version=app_version, device_has_seat=True
                )
            except DomainError as error:
                assert code.id is not None
                free_seat(connection, seat.id, device_id, code.id)
                raise self.audit.refuse(
                    connection, error, event="hold_revoked", code=code, device_id=device_id
                ) from None
            start = max(behind.expires_at, now)
            connection.execute(MOVE_HOLD, {"seat": seat.id, "start": start})
            register_key(connection, device_id, key)
            self._record(connection, "hold_renewed", code, device_id)
            connection.commit()
        seat = Seat(seat.id, device_id, start, start)
        return protocol.ReserveCheck(
            action="reserve",
            **{**fields_of(license_facts(code, now)), "expires_at": expiry},
            takes_over_at=start,
            license=self.licenses.sign(code, seat),
        )

    def start(self, held_token: str, key: str) -> protocol.Activation:
        """The held seat starts now: its license, signed from now."""
        held = self.licenses.read(held_token)
        device_id = str(held["sub"])
        now = utcnow().replace(microsecond=0)
        with self.store.connection() as connection:
            seat, code = self._held(connection, held, key)
            if code.blocked:
                raise self.audit.refuse(
                    connection,
                    DomainError(ErrorCode.CODE_BLOCKED),
                    event="hold_refused",
                    code=code,
                    device_id=device_id,
                )
            if int(held.get("exp", held["expires_at"])) <= now.timestamp():
                raise self.audit.refuse(
                    connection,
                    DomainError(
                        ErrorCode.UNAUTHORIZED,
                        "This reserve's license ended before it was used.",
                        reason=REASON_HOLD_ENDED,
                    ),
                    event="hold_refused",
                    code=code,
                    device_id=device_id,
                )
            begins = min(seat.starts_at, now)
            connection.execute(START_SEAT, {"seat": seat.id, "start": begins})
            connection.execute(FIRST_ACTIVATION, {"code": code.id, "first": begins})
            code = code.started(begins)
            register_key(connection, device_id, key)
            self._record(connection, "hold_started", code, device_id)
            connection.commit()
        started = Seat(seat.id, device_id, begins)
        return protocol.Activation(
            **fields_of(license_facts(code, now)),
            license=self.licenses.sign(code, started),
            created=False,
        )

    # --- helpers -----------------------------------------------------------------------------

    def _held(
        self, connection: Connection, claims: dict[str, Any], key: str
    ) -> tuple[Seat, CodeFacts]:
        """The held seat a license signed ahead names, and its code, locked; not_found when
        the seat is gone or has started already. Only its device (``key``) may ask."""
        self.audit.prove(connection, str(claims["sub"]), key, event="hold_refused")
        row = connection.execute(
            select(SEATS).where(SEATS.c.id == claims["lid"], SEATS.c.device_id == claims["sub"])
        ).first()
        if row is None or row.held_from is None:
            freed = (
                row is None
                and connection.execute(
                    select(FREED.c.seat_id).where(FREED.c.seat_id == claims["lid"])
                ).first()
            )
            raise self.audit.refuse(
                connection,
                _gone(bool(freed)),
                event="hold_refused",
                device_id=str(claims["sub"]),
            )
        code_row = connection.execute(
            select(CODES).where(CODES.c.id == row.code_id).with_for_update()
        ).first()
        assert code_row is not None
        return Seat(row.id, row.device_id, row.activated_at, row.held_from), code_of(code_row)

    @staticmethod
    def _record(connection: Connection, event: str, code: CodeFacts, device_id: str) -> None:
        connection.execute(
            INSERT_AUDIT,
            {
                "at": utcnow(),
                "event": event,
                "code_id": code.id,
                "code_last5": code.last5,
                "device_id": device_id,
            },
        )
