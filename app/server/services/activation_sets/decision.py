"""The decision of a set of activations, the same on both databases: each ask, in order,
over what the database said and what the asks before it decided. Nothing here reads the
database or the clock; the new seats' ids are random."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import CodeFacts, check_activation
from app.server.records import ActivationWritten, Seat
from app.server.secrets import CodeHasher
from app.server.services.activation_sets.batch import (
    Ask,
    AuditEntry,
    Batch,
    DeviceKey,
    HeldStart,
    Known,
    KnownDevice,
    NewSeat,
    Parsed,
)
from app.server.services.devices import other_key


def parse(asks: Sequence[Ask], hasher: CodeHasher) -> Parsed:
    """Each ask's code normalized and hashed, or refused as no code at all."""
    normalized: dict[int, str] = {}
    malformed: dict[int, DomainError] = {}
    for index, ask in enumerate(asks):
        try:
            normalized[index] = codes.normalize(ask.text)
        except codes.InvalidCodeFormat as exc:
            malformed[index] = DomainError(ErrorCode.INVALID_FORMAT, str(exc))
    digests = {index: hasher.digest(text) for index, text in normalized.items()}
    return Parsed(normalized, digests, malformed)


def decide(
    asks: Sequence[Ask], parsed: Parsed, known: Known, moment: datetime, *, locked: bool
) -> Batch:
    """What each ask comes to, and what that writes. ``moment``: when the codes were read;
    activations and their licenses carry it in whole seconds, refusals as it is. When the
    codes were read without a lock (not ``locked``), the asks that need it are left in
    ``later``: those that start a held seat, and those of a device from before keys."""
    decider = _Decider(known, moment, locked=locked)
    for index, error in parsed.malformed.items():
        decider.refuse(index, asks[index], error)
    for index, digest in parsed.digests.items():
        code = known.codes.get(digest)
        if code is None:
            last5 = parsed.normalized[index][-5:]
            decider.refuse(index, asks[index], DomainError(ErrorCode.CODE_NOT_FOUND), last5=last5)
        else:
            decider.activate(index, asks[index], code)
    return decider.batch


class _Decider:
    """The asks decided so far: the batch, and the devices and seats as they have left them."""

    def __init__(self, known: Known, moment: datetime, *, locked: bool) -> None:
        self.batch = Batch(now=moment.replace(microsecond=0))
        self.moment = moment
        self.locked = locked
        self.devices = dict(known.devices)
        self.seats = dict(known.seats)

    def refuse(
        self,
        index: int,
        ask: Ask,
        error: DomainError,
        *,
        code: CodeFacts | None = None,
        last5: str | None = None,
    ) -> None:
        code_id, last5 = (code.id, code.last5) if code else (None, last5)
        entry = AuditEntry(self.moment, "activation_refused", code_id, last5, ask.device_id, error)
        self.batch.audit.append(entry)
        self.batch.outcomes[index] = error

    def activate(self, index: int, ask: Ask, found: CodeFacts) -> None:
        batch, device = self.batch, ask.device_id
        code_id = found.id
        assert code_id is not None  # read from its row
        batch.ask_code[index] = code_id
        code = batch.codes.get(code_id, found)
        if not self._proven(index, ask, code):
            return
        seat = self.seats.get((code_id, device))
        known = self.devices.get(device)
        try:
            check_activation(
                code,
                now=batch.now,
                app_version=ask.app_version,
                device_has_seat=seat is not None,
                device_has_account=known is not None and known.account_id is not None,
            )
        except DomainError as error:
            self.refuse(index, ask, error, code=code)
            return
        created = seat is None
        if seat is None:
            seat = self._new_seat(code_id, ask)
            code = replace(code.started(batch.now), devices_used=code.devices_used + 1)
            batch.taken[code_id] = batch.taken.get(code_id, 0) + 1
        elif seat.held_from is not None:
            if not self.locked:
                batch.later.append(index)
                return
            # The seat held for this device's reserve starts now (Activate now, the current
            # license removed or lost), or was taken over already with no network.
            start = min(seat.held_from, batch.now)
            batch.starts.append(HeldStart(seat.id, code_id, start))
            code = code.started(start)
            seat = Seat(seat.id, device, start)
        batch.codes[code_id] = code
        self.seats[(code_id, device)] = seat
        event = "activation" if created else "activation_repeated"
        batch.audit.append(AuditEntry(batch.now, event, code_id, code.last5, device))
        if known is not None and known.key is None:  # accepted: from before keys no more
            self.devices[device] = replace(known, key=ask.key)
            batch.registered.append(DeviceKey(device, ask.key))
        batch.outcomes[index] = ActivationWritten(code, seat, created, batch.now)

    def _proven(self, index: int, ask: Ask, code: CodeFacts) -> bool:
        """Whether the ask's key may act for its device; refused when not. A device from
        before keys is left to the locked pass, which registers the key if the ask is
        accepted (``activate``)."""
        known = self.devices.get(ask.device_id)
        if known is None or known.key == ask.key:
            return True  # a new device (its first seat registers the key), or its own key
        if known.key is None:
            if not self.locked:
                self.batch.later.append(index)
                return False
            return True
        self.refuse(index, ask, other_key(), code=code)
        return False

    def _new_seat(self, code_id: int, ask: Ask) -> Seat:
        batch = self.batch
        seat = Seat(secrets.token_hex(16), ask.device_id, batch.now)
        if ask.device_id not in self.devices:
            self.devices[ask.device_id] = KnownDevice(None, ask.key)
            batch.new_devices.append(DeviceKey(ask.device_id, ask.key))
        batch.new_seats.append(NewSeat(seat.id, code_id, ask.device_id, ask.app_version))
        return seat
