"""An account's devices and licenses, as the account console shows them, and what it may do
to them: rename a device, and free every seat of a lost one.

Freeing is how a lost, stolen or key-less device gives its seats back. The freed licenses
are refused at the device's next contact, which is told why (``seat_freed``); but while the
device stays offline it keeps using them, so each forced release may turn one seat into two
for a while. They are bounded per code: at most as many in 30 days as the code has seats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from app.domain.license import CodeFacts, LicenseState, LicenseType
from app.domain.names import clean_name
from app.server.records import code_of
from app.server.services.seats import free_seat
from app.server.services.store import Store, utcnow
from app.server.tables import CODES, DEVICES, FREED, INSERT_AUDIT, SEATS

#: Forced releases of a code are counted over this window.
RELEASE_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class SeatLine:
    """One seat of a device: its license in use, or held for its reserve."""

    code_id: int
    last5: str
    type: LicenseType
    state: LicenseState
    expires_at: datetime | None
    #: For a held seat: when its license takes over. None for a seat in use.
    takes_over_at: datetime | None = None
    #: A held seat whose license cannot start as planned (its code blocked, or no longer
    #: valid when it should take over).
    at_risk: bool = False


@dataclass(frozen=True)
class DeviceLine:
    id: str
    name: str | None
    last_seen_at: datetime | None
    current: SeatLine | None
    reserve: SeatLine | None


@dataclass(frozen=True)
class Releases:
    """Forced releases of one code: how many are left in the window, and when the next one
    comes back (None while none has been used)."""

    code_id: int
    last5: str
    most: int
    left: int
    next_back_at: datetime | None


@dataclass(frozen=True)
class CodeLine:
    """A code the account's devices use or hold, for the licenses page."""

    last5: str
    type: LicenseType
    state: LicenseState
    term_seconds: int
    expires_at: datetime | None
    valid_until: datetime
    seats: int
    used: int
    held: int
    #: The account's devices on it: (id, name, held).
    devices: tuple[tuple[str, str | None, bool], ...]


@dataclass(frozen=True)
class Freed:
    """What freeing a device did: ``seats`` freed, or nothing when a code had no release
    left (``short``: those codes)."""

    seats: int
    short: tuple[Releases, ...] = ()

    @property
    def done(self) -> bool:
        return not self.short


class NotYours(LookupError):
    """No device of that id is linked to the account (to the browser: 404)."""


_SEATS_OF_ACCOUNT = (
    select(
        DEVICES.c.id.label("device_id"),
        DEVICES.c.name,
        DEVICES.c.last_seen_at,
        DEVICES.c.first_seen_at,
        SEATS.c.activated_at.label("seat_activated_at"),
        SEATS.c.held_from.label("seat_held_from"),
        CODES,
    )
    .select_from(
        DEVICES.outerjoin(SEATS, SEATS.c.device_id == DEVICES.c.id).outerjoin(
            CODES, CODES.c.id == SEATS.c.code_id
        )
    )
    .order_by(DEVICES.c.first_seen_at, DEVICES.c.id)
)


def _seat_line(row: Any, now: datetime) -> SeatLine:
    code = code_of(row)
    held_from = row.seat_held_from
    started = code.started(held_from or row.seat_activated_at)
    at_risk = held_from is not None and (code.blocked or code.valid_until <= held_from)
    return SeatLine(
        code_id=row.id,
        last5=row.last5,
        type=code.type,
        state=started.state(max(now, held_from)) if held_from else started.state(now),
        expires_at=started.expires_at,
        takes_over_at=held_from,
        at_risk=at_risk,
    )


def _latest(lines: list[SeatLine]) -> SeatLine | None:
    """The license a device runs on: of its seats in use, the one that ends last."""
    if not lines:
        return None
    return max(lines, key=lambda line: (line.expires_at is not None, line.expires_at or 0))


class Fleet:
    def __init__(self, store: Store) -> None:
        self.store = store

    def devices(self, account_id: int, now: datetime | None = None) -> list[DeviceLine]:
        """Every device linked to the account, the oldest first."""
        now = now or utcnow()
        with self.store.connection() as connection:
            rows = connection.execute(
                _SEATS_OF_ACCOUNT.where(DEVICES.c.account_id == account_id)
            ).all()
        return _devices(rows, now)

    def device(
        self, account_id: int, device_id: str, now: datetime | None = None
    ) -> tuple[DeviceLine, list[Releases]]:
        """One device of the account, and the forced releases left of each of its codes."""
        now = now or utcnow()
        with self.store.connection() as connection:
            rows = connection.execute(
                _SEATS_OF_ACCOUNT.where(
                    DEVICES.c.account_id == account_id, DEVICES.c.id == device_id
                )
            ).all()
            if not rows:
                raise NotYours(device_id)
            codes = [code_of(row) for row in rows if row.id is not None]
            releases = _releases(connection, codes, now)
        return _devices(rows, now)[0], releases

    def rename(self, account_id: int, device_id: str, name: str) -> None:
        """Name the device; ValueError for a name that cannot be one."""
        cleaned = clean_name(name)
        with self.store.connection() as connection:
            renamed = connection.execute(
                update(DEVICES)
                .where(DEVICES.c.id == device_id, DEVICES.c.account_id == account_id)
                .values(name=cleaned)
            ).rowcount
            connection.commit()
        if not renamed:
            raise NotYours(device_id)

    def free(self, account_id: int, device_id: str, now: datetime | None = None) -> Freed:
        """Free every seat and hold of the device at once and unlink it from the account, or
        nothing when one of its codes has no forced release left."""
        now = now or utcnow()
        with self.store.connection() as connection:
            linked = connection.execute(
                select(DEVICES.c.id).where(
                    DEVICES.c.id == device_id, DEVICES.c.account_id == account_id
                )
            ).first()
            if linked is None:
                raise NotYours(device_id)
            seats = connection.execute(
                select(SEATS.c.id, SEATS.c.code_id, SEATS.c.held_from).where(
                    SEATS.c.device_id == device_id
                )
            ).all()
            # The codes locked in the order of their ids, as every writer of seats does, so
            # two releases of one code are counted one after the other.
            codes = [
                code_of(row)
                for row in connection.execute(
                    select(CODES)
                    .where(CODES.c.id.in_(sorted({seat.code_id for seat in seats})))
                    .order_by(CODES.c.id)
                    .with_for_update()
                )
            ]
            short = tuple(r for r in _releases(connection, codes, now) if r.left < 1)
            if short:
                connection.rollback()
                return Freed(0, short)
            last5 = {code.id: code.last5 for code in codes}
            freed = 0
            for seat in seats:
                if not free_seat(connection, seat.id, device_id, seat.code_id):
                    continue  # freed meanwhile by the device itself
                freed += 1
                connection.execute(
                    insert(FREED).values(
                        seat_id=seat.id,
                        code_id=seat.code_id,
                        device_id=device_id,
                        account_id=account_id,
                        freed_at=now,
                    )
                )
                connection.execute(
                    INSERT_AUDIT,
                    {
                        "at": now,
                        "event": "seat_freed",
                        "code_id": seat.code_id,
                        "code_last5": last5.get(seat.code_id),
                        "device_id": device_id,
                        "detail": {"account": account_id, "held": seat.held_from is not None},
                    },
                )
            connection.execute(
                update(DEVICES).where(DEVICES.c.id == device_id).values(account_id=None)
            )
            connection.commit()
        return Freed(freed)

    def licenses(self, account_id: int, now: datetime | None = None) -> list[CodeLine]:
        """Every code the account's devices use or hold, in the order first used."""
        now = now or utcnow()
        with self.store.connection() as connection:
            rows = connection.execute(
                _SEATS_OF_ACCOUNT.where(DEVICES.c.account_id == account_id, CODES.c.id.is_not(None))
            ).all()
            ids = sorted({row.id for row in rows})
            held: dict[int, int] = dict(
                connection.execute(
                    select(SEATS.c.code_id, func.count())
                    .where(SEATS.c.code_id.in_(ids), SEATS.c.held_from.is_not(None))
                    .group_by(SEATS.c.code_id)
                ).all()
            )
        by_code: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            by_code[row.id].append(row)
        lines = []
        for code_id, seats in by_code.items():
            code = code_of(seats[0])
            held_here = int(held.get(code_id, 0))
            lines.append(
                CodeLine(
                    last5=code.last5,
                    type=code.type,
                    state=code.state(now),
                    term_seconds=int(code.term.total_seconds()),
                    expires_at=code.expires_at,
                    valid_until=code.valid_until,
                    seats=code.max_devices,
                    used=code.devices_used - held_here,
                    held=held_here,
                    devices=tuple(
                        (row.device_id, row.name, row.seat_held_from is not None) for row in seats
                    ),
                )
            )
        return lines

    def freed_at(self, seat_id: str) -> datetime | None:
        """When the seat was freed from the console, or None if it was not."""
        with self.store.connection() as connection:
            return connection.execute(
                select(FREED.c.freed_at).where(FREED.c.seat_id == seat_id)
            ).scalar_one_or_none()


def _devices(rows: Sequence[Any], now: datetime) -> list[DeviceLine]:
    seats: dict[str, list[SeatLine]] = defaultdict(list)
    held: dict[str, list[SeatLine]] = defaultdict(list)
    first: dict[str, Any] = {}
    for row in rows:
        first.setdefault(row.device_id, row)
        if row.id is None:
            continue
        line = _seat_line(row, now)
        (held if line.takes_over_at else seats)[row.device_id].append(line)
    return [
        DeviceLine(
            id=device_id,
            name=row.name,
            last_seen_at=row.last_seen_at,
            current=_latest(seats[device_id]),
            reserve=min(held[device_id], key=lambda line: line.takes_over_at or now, default=None),
        )
        for device_id, row in first.items()
    ]


def _releases(connection: Connection, codes: list[CodeFacts], now: datetime) -> list[Releases]:
    """The forced releases left of each code, now."""
    if not codes:
        return []
    since = now - RELEASE_WINDOW
    counted = {
        row.code_id: (row.used, row.oldest)
        for row in connection.execute(
            select(
                FREED.c.code_id,
                func.count().label("used"),
                func.min(FREED.c.freed_at).label("oldest"),
            )
            .where(and_(FREED.c.code_id.in_([code.id for code in codes]), FREED.c.freed_at > since))
            .group_by(FREED.c.code_id)
        )
    }
    releases = []
    for code in codes:
        assert code.id is not None
        used, oldest = counted.get(code.id, (0, None))
        releases.append(
            Releases(
                code_id=code.id,
                last5=code.last5,
                most=code.max_devices,
                left=max(0, code.max_devices - used),
                next_back_at=oldest + RELEASE_WINDOW if oldest else None,
            )
        )
    return releases
