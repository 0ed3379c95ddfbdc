"""The records of one set of activations: what was asked, what the database said, and what
was decided, to be written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.errors import DomainError
from app.domain.license import CodeFacts
from app.server.records import ActivationWritten, Seat

#: What one ask comes to: its seat, or its refusal.
ActivationOutcome = ActivationWritten | DomainError


@dataclass(frozen=True)
class Ask:
    """One request to activate: the code as typed, the device, its app's version, and the
    key the request was signed with."""

    text: str
    device_id: str
    app_version: str
    key: str


@dataclass(frozen=True)
class Parsed:
    """The asks' codes, as the database is asked for them (by the index of each ask)."""

    #: Each well-formed code, normalized.
    normalized: dict[int, str]
    #: Its keyed hash, which the codes table is searched by.
    digests: dict[int, bytes]
    #: The asks whose code cannot be a code at all.
    malformed: dict[int, DomainError]


@dataclass(frozen=True)
class KnownDevice:
    """A device the database has: its account (None: none) and its key (None: a device from
    before keys)."""

    account_id: int | None
    key: str | None


@dataclass(frozen=True)
class Known:
    """What the database said about the asks' codes and devices."""

    #: The codes found, by their digest.
    codes: dict[bytes, CodeFacts]
    devices: dict[str, KnownDevice]
    #: The seats the devices hold of those codes, by (code id, device id).
    seats: dict[tuple[int, str], Seat]


@dataclass(frozen=True)
class DeviceKey:
    """A device and the key it keeps: a new device, or one from before keys."""

    device_id: str
    key: str


@dataclass(frozen=True)
class NewSeat:
    """A seat taken now (``activated_at`` is the batch's ``now``)."""

    id: str
    code_id: int
    device_id: str
    app_version: str


@dataclass(frozen=True)
class HeldStart:
    """A seat held for a reserve that starts: its license runs from ``start``."""

    seat_id: str
    code_id: int
    start: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One audit row: an activation (``error`` None) or a refused ask."""

    at: datetime
    event: str
    code_id: int | None
    last5: str | None
    device_id: str
    error: DomainError | None = None


@dataclass
class Batch:
    """What a set of asks decided, by the index of each ask, and what that writes."""

    #: The moment the set was decided, in whole seconds (as licenses carry it).
    now: datetime
    outcomes: dict[int, ActivationOutcome] = field(default_factory=dict)
    #: The code each ask found.
    ask_code: dict[int, int] = field(default_factory=dict)
    #: Each code as the asks left it.
    codes: dict[int, CodeFacts] = field(default_factory=dict)
    #: How many new seats each code gives.
    taken: dict[int, int] = field(default_factory=dict)
    new_devices: list[DeviceKey] = field(default_factory=list)
    #: Devices from before keys whose call was accepted: they keep its key.
    registered: list[DeviceKey] = field(default_factory=list)
    new_seats: list[NewSeat] = field(default_factory=list)
    starts: list[HeldStart] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    #: Asks left undecided, for a pass with the codes locked: they start a held seat, or
    #: come from a device from before keys.
    later: list[int] = field(default_factory=list)

    def in_order(self, count: int) -> list[ActivationOutcome]:
        return [self.outcomes[index] for index in range(count)]
