"""What License details says: a pure function of the engine's snapshot (:func:`details_view`).

The dialog only applies it. Time left is counted from the snapshot's ``now`` (the engine's
clock). Texts keep the dialog's translation context (``LicenseDetailsDialog``), so the
catalogs match whichever module holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.client.tokens import License
from app.domain.license import LicenseState
from app.engine.vocabulary import Busy, Reserve, ReserveSource, ReserveStatus, Snapshot
from app.gui import texts
from app.gui.view_model import Offer, Tone, offered, state_tone

translate = QCoreApplication.translate

#: Where a recent purchase may not show yet (with nothing confirmed, or the server away).
NOT_IN_USE = (LicenseState.NONE, LicenseState.EXPIRED, LicenseState.BLOCKED)


@dataclass(frozen=True)
class CurrentLicense:
    code: str
    type: str
    state: str
    state_tone: Tone
    activated: str
    expiry_title: str  # "Expires", or "Expired on" once it has ended
    expiry: str
    devices: str


@dataclass(frozen=True)
class ReserveCode:
    code: str
    term: str
    devices: str
    expires: str  # when the license it gives will end
    takes_over: str
    status: str
    status_tone: Tone | None
    from_account: bool  # saved in the account on the web, for all its devices


@dataclass(frozen=True)
class DetailsView:
    license: CurrentLicense | None  # None: "No license is active on this device."
    reserve: ReserveCode | None  # None: what a reserve code is, and how to save one
    retry: Offer
    activate_now: Offer
    remove_reserve: Offer
    checked: str  # when the status was last confirmed
    purchase_note: bool  # that a purchase can take a day to show
    server: str
    secrets: str | None  # where the codes are kept (None: not asked yet)
    problem: str | None
    refresh: Offer


def details_view(snap: Snapshot) -> DetailsView:
    """What License details shows for ``snap``."""
    reserve, idle = snap.reserve, snap.busy is None
    failed = reserve is not None and reserve.status is ReserveStatus.FAILED
    problems = [texts.problem_message(snap.problem)]
    if snap.unreachable:
        problems.append(texts.unreachable_message(snap.unreachable, snap.server_address))
    return DetailsView(
        license=None if snap.license is None else _current(snap, snap.license),
        reserve=None if reserve is None else _reserve(reserve),
        retry=offered(failed and snap.reserve_can_take_over_now, idle),
        activate_now=offered(
            reserve is not None and not failed and snap.state is LicenseState.BLOCKED, idle
        ),
        remove_reserve=offered(
            reserve is not None,
            idle and reserve is not None and reserve.status is not ReserveStatus.ACTIVATING,
        ),
        checked=_checked(snap),
        purchase_note=snap.loaded
        and (snap.checked_at is None or snap.unreachable is not None or snap.state in NOT_IN_USE),
        server=snap.server_address,
        secrets=_secrets(snap),
        problem="\n".join(p for p in problems if p) or None,
        refresh=offered(True, idle),
    )


def _current(snap: Snapshot, lic: License) -> CurrentLicense:
    ended = lic.expires_at <= snap.now
    return CurrentLicense(
        code=texts.masked(lic.code_last5),
        type=texts.type_name(lic.type.value),
        state=texts.state_name(snap.state),
        state_tone=state_tone(snap.state),
        activated=texts.date_time(lic.activated_at),
        expiry_title=(
            translate("LicenseDetailsDialog", "Expired on")
            if ended
            else translate("LicenseDetailsDialog", "Expires")
        ),
        expiry=texts.expiry(lic.expires_at, snap.now),
        devices=texts.devices(snap.devices_used, lic.max_devices),
    )


def _reserve(reserve: Reserve) -> ReserveCode:
    failed_for_good = reserve.status is ReserveStatus.FAILED and not reserve.failure_transient
    return ReserveCode(
        code=texts.masked(reserve.last5),
        term=texts.duration(reserve.term_seconds),
        devices=texts.devices(None, reserve.max_devices),
        expires=texts.date_time(reserve.expires_at),
        takes_over=texts.date_time(reserve.takes_over_at),
        status=texts.reserve_status(reserve),
        status_tone=Tone.BAD if failed_for_good else None,
        from_account=reserve.source is ReserveSource.ACCOUNT,
    )


def _checked(snap: Snapshot) -> str:
    if snap.checked_at is None:
        checked = translate(
            "LicenseDetailsDialog",
            "The status has not been confirmed with the activation server yet.",
        )
    else:
        checked = translate(
            "LicenseDetailsDialog", "Last confirmed with the activation server: %1"
        ).replace("%1", texts.date_time(snap.checked_at))
    if snap.busy is Busy.SYNCING:
        checked += " " + translate("LicenseDetailsDialog", "(checking now…)")
    return checked


def _secrets(snap: Snapshot) -> str | None:
    where = snap.secrets_location
    if where and not snap.secrets_secure:
        private = translate(
            "LicenseDetailsDialog",
            "%1 (a file only your user account can read; no password keyring)",
        )
        return private.replace("%1", where)
    return where
