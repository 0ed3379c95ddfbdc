"""What the Profile page says: a pure function of the engine's snapshot (:func:`profile_view`).

The page only applies it. Time left and time since are counted from the snapshot's ``now``
(the engine's clock), never the wall clock. Texts keep the page's translation context
(``ProfilePage``), so the catalogs match whichever module holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.domain.errors import ErrorCode
from app.domain.license import LicenseState
from app.engine.vocabulary import Busy, Failure, Reserve, ReserveSource, ReserveStatus, Snapshot
from app.gui import account_words, texts
from app.gui.view_model import Offer, Tone, state_tone

translate = QCoreApplication.translate


@dataclass(frozen=True)
class LicenseLines:
    """The license's rows in the panel's grid."""

    type: str
    expiry_title: str  # "Expires", or "Expired on" once it has ended
    expiry: str
    devices: str


@dataclass(frozen=True)
class ProfileView:
    account: str  # the account block's sentence
    sign_in: str  # its button's text
    key_tone: Tone  # the key icon by the License heading
    status: str  # Active, Expires soon… (or that the license is being checked)
    status_tone: Tone | None
    summary: str
    license: LicenseLines | None  # None: the license rows are hidden
    reserve: tuple[str, ...]  # the reserve code's lines; none: no reserve
    reserve_tone: Tone | None
    problem: str | None
    checked: str | None  # when the server last confirmed the license
    storage: str | None  # where codes are kept, when that is worth saying
    enter_code: Offer  # the panel's button (MAIN: primary) and the menu's action
    remove: Offer  # the menu's Remove license…


def profile_view(snap: Snapshot) -> ProfileView:
    """What the Profile page shows for ``snap``."""
    tone = state_tone(snap.state)
    account, sign_in = _account(snap.account_email)
    storage = None
    if snap.loaded and not snap.secrets_secure and snap.secrets_location:
        storage = translate(
            "ProfilePage",
            "No password keyring: codes are kept in a private file (see License details).",
        )
    return ProfileView(
        account=account,
        sign_in=sign_in,
        key_tone=tone,
        status=(
            texts.state_name(snap.state)
            if snap.loaded
            else translate("ProfilePage", "Checking your license…")
        ),
        status_tone=tone if snap.loaded else None,
        summary=summary(snap.state, snap.reserve is not None),
        license=_license_lines(snap),
        reserve=reserve_lines(snap.reserve),
        reserve_tone=Tone.BAD if snap.reserve_failed_for_good else None,
        problem=_problem(snap),
        checked=_checked(snap),
        storage=storage,
        enter_code=_enter_code(snap),
        remove=Offer.SHOWN if snap.license is not None and snap.busy is None else Offer.DISABLED,
    )


def _account(email: str | None) -> tuple[str, str]:
    if email:
        return (
            translate("ProfilePage", "This device is connected to the account %1.").replace(
                "%1", email
            ),
            translate("ProfilePage", "Use another account…"),
        )
    return (
        translate(
            "ProfilePage",
            "This device is not connected to an account. Some activation codes need "
            "it: sign in with your e-mail address and password.",
        ),
        translate("ProfilePage", "Sign in…"),
    )


def _license_lines(snap: Snapshot) -> LicenseLines | None:
    lic = snap.license
    if lic is None:
        return None
    ended = lic.expires_at <= snap.now
    return LicenseLines(
        type=texts.type_name(lic.type.value),
        expiry_title=(
            translate("ProfilePage", "Expired on") if ended else translate("ProfilePage", "Expires")
        ),
        expiry=texts.expiry(lic.expires_at, snap.now),
        devices=texts.devices(snap.devices_used, lic.max_devices),
    )


def reserve_lines(reserve: Reserve | None) -> tuple[str, ...]:
    """The reserve code and when it takes over; then its state unless merely saved, and
    where it came from when the account holds it."""
    if reserve is None:
        return ()
    lines = [
        translate("ProfilePage", "%1 · takes over on %2")
        .replace("%1", texts.masked(reserve.last5))
        .replace("%2", texts.date_time(reserve.takes_over_at))
    ]
    if reserve.status is not ReserveStatus.SAVED:
        lines.append(texts.reserve_status(reserve))
    if reserve.source is ReserveSource.ACCOUNT:
        lines.append(account_words.reserve_from_account())
    return tuple(lines)


def _problem(snap: Snapshot) -> str | None:
    problem = texts.problem_message(snap.problem)
    if snap.unreachable:
        unreachable = (
            texts.unreachable_message(snap.unreachable, snap.server_address)
            + " "
            + translate("ProfilePage", "Standby keeps trying.")
        )
        return f"{problem}\n{unreachable}" if problem else unreachable
    if problem is None and snap.device_not_proven:
        return texts.failure_words(Failure(ErrorCode.DEVICE_NOT_PROVEN))
    if problem is None and snap.busy is Busy.ACTIVATING:
        return translate("ProfilePage", "Activating your reserve code…")
    return problem


def _checked(snap: Snapshot) -> str | None:
    if snap.busy is Busy.SYNCING:
        return translate("ProfilePage", "Checking the license with the activation server…")
    # A device the server did not take for itself has had no license confirmed.
    checked_at = None if snap.device_not_proven else snap.checked_at
    if checked_at is None:
        return None
    line = (  # while unreachable: when the server last said so, not that it says so now
        translate("ProfilePage", "Last confirmed with the activation server %1.")
        if snap.unreachable is not None
        else translate("ProfilePage", "License status confirmed with the activation server %1.")
    )
    return line.replace("%1", texts.time_ago(checked_at, snap.now))


def _enter_code(snap: Snapshot) -> Offer:
    """The main action while the device is unprotected or about to be; otherwise quieter
    (a reserve code that takes over soon is the protection to come)."""
    if not snap.loaded:
        return Offer.HIDDEN
    covered = snap.state is LicenseState.EXPIRING_SOON and (
        snap.reserve is not None and not snap.reserve_failed_for_good
    )
    protected = snap.state in (LicenseState.ACTIVE, LicenseState.TRIAL)
    if not covered and (not protected or snap.reserve is None):
        return Offer.MAIN
    return Offer.SHOWN


def summary(state: LicenseState, has_reserve: bool) -> str:
    """The sentence under the state: what it means, and what to do about it."""
    if state in (LicenseState.ACTIVE, LicenseState.TRIAL):
        if has_reserve:
            return translate(
                "ProfilePage",
                "Your device is protected. Your reserve code takes over when this license ends.",
            )
        return translate("ProfilePage", "Your device is protected.")
    if state is LicenseState.EXPIRING_SOON:
        if has_reserve:
            return translate(
                "ProfilePage",
                "Your license ends soon. Your reserve code takes over by itself, so you stay "
                "protected.",
            )
        return translate(
            "ProfilePage",
            "Your license ends soon. Enter a new activation code now: it waits as a reserve "
            "code and takes over by itself.",
        )
    if state is LicenseState.BLOCKED:
        if has_reserve:
            return translate(
                "ProfilePage",
                "Your license has been blocked. Open “License details” and choose “Activate "
                "now” to switch to your reserve code.",
            )
        return translate(
            "ProfilePage", "Your license has been blocked. Enter a new activation code."
        )
    if state is LicenseState.EXPIRED:
        return translate("ProfilePage", "Your license has expired. Your device is not protected.")
    return translate(
        "ProfilePage", "Your device is not protected. Enter an activation code to activate Standby."
    )
