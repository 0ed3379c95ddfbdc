"""What the Profile page says, from snapshots made by hand: no engine, no window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from app.domain.errors import ErrorCode
from app.domain.license import LicenseState
from app.engine.vocabulary import Busy, Problem, ReserveSource, ReserveStatus
from app.failures import Failure, Unreachable
from app.gui import i18n, texts
from app.gui.profile_view import profile_view
from app.gui.view_model import Offer, Tone
from tests.gui.snapshots import DAY, NOW, active, lic, reserve, snapshot

MASKED_B = "•••••-•••••-•••••-BBBBB"


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> None:
    # The functions need no window; the English plural forms ("2 days") need a translator,
    # and a translator needs the application object.
    i18n.install("en")


def test_while_loading_it_says_it_is_checking_and_offers_no_code() -> None:
    view = profile_view(snapshot(loaded=False))
    assert view.status == "Checking your license…"
    assert view.status_tone is None
    assert view.enter_code is Offer.HIDDEN
    assert view.storage is None


def test_an_active_license_is_green_with_its_rows() -> None:
    view = profile_view(active())
    assert (view.status, view.status_tone, view.key_tone) == ("Active", Tone.OK, Tone.OK)
    assert view.summary == "Your device is protected."
    assert view.license is not None
    assert view.license.type == "Standard license"
    assert view.license.expiry_title == "Expires"
    assert view.license.expiry.endswith("(100 days left)")
    assert view.license.devices == "1 of 3 devices in use"
    assert view.reserve == ()
    assert view.problem is None
    assert view.checked == "License status confirmed with the activation server 1 hour ago."
    # Nothing waits to take over: a new code is still the main thing on offer.
    assert view.enter_code is Offer.MAIN
    assert view.remove is Offer.SHOWN


def test_time_is_counted_from_the_snapshots_now() -> None:
    later = profile_view(active(now=NOW + 99 * DAY))
    assert later.license is not None
    assert later.license.expiry.endswith("(1 day left)")
    assert later.checked == "License status confirmed with the activation server on " + (
        texts.date_time(NOW - timedelta(hours=1)) + "."
    )
    ended = profile_view(active(state=LicenseState.EXPIRED, now=NOW + 100 * DAY))
    assert ended.license is not None
    assert ended.license.expiry_title == "Expired on"
    assert ended.license.expiry == texts.date_time(NOW + 100 * DAY)  # no time left to tell
    assert (ended.status, ended.status_tone) == ("Expired", Tone.BAD)
    assert ended.summary == "Your license has expired. Your device is not protected."


@pytest.mark.parametrize(
    ("ago", "said"),
    [
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=2), "2 minutes ago"),
        (timedelta(hours=3), "3 hours ago"),
    ],
)
def test_when_the_server_last_confirmed_it(ago: timedelta, said: str) -> None:
    view = profile_view(active(checked_at=NOW - ago))
    assert view.checked == f"License status confirmed with the activation server {said}."


def test_while_unreachable_it_says_when_the_server_last_confirmed_and_keeps_trying() -> None:
    view = profile_view(active(unreachable=Unreachable.TIMED_OUT))
    assert view.checked == "Last confirmed with the activation server 1 hour ago."
    unreachable = texts.unreachable_message(Unreachable.TIMED_OUT, "activation.example.com")
    assert view.problem == unreachable + " Standby keeps trying."
    both = profile_view(active(unreachable=Unreachable.REFUSED, problem=Problem.CANNOT_WRITE))
    assert both.problem is not None
    assert both.problem.split("\n") == [
        texts.problem_message(Problem.CANNOT_WRITE),
        texts.unreachable_message(Unreachable.REFUSED, "activation.example.com")
        + " Standby keeps trying.",
    ]


def test_a_device_not_proven_has_no_confirmed_license() -> None:
    view = profile_view(active(device_not_proven=True))
    assert view.checked is None
    assert view.problem == texts.failure_words(Failure(ErrorCode.DEVICE_NOT_PROVEN))


def test_while_syncing_or_activating_it_says_so() -> None:
    syncing = profile_view(active(busy=Busy.SYNCING))
    assert syncing.checked == "Checking the license with the activation server…"
    assert syncing.remove is Offer.DISABLED  # nothing is removed while the engine works
    activating = profile_view(active(busy=Busy.ACTIVATING))
    assert activating.problem == "Activating your reserve code…"


def test_a_saved_reserve_is_one_line_and_the_new_code_is_quieter() -> None:
    view = profile_view(active(reserve=reserve()))
    assert view.reserve == (f"{MASKED_B} · takes over on {texts.date_time(NOW + 100 * DAY)}",)
    assert view.reserve_tone is None
    assert view.summary.endswith("Your reserve code takes over when this license ends.")
    assert view.enter_code is Offer.SHOWN


def test_a_reserve_that_takes_over_soon_keeps_the_device_covered() -> None:
    view = profile_view(active(state=LicenseState.EXPIRING_SOON, reserve=reserve()))
    assert (view.status, view.status_tone) == ("Expires soon", Tone.WARN)
    assert view.summary.startswith("Your license ends soon. Your reserve code takes over")
    assert view.enter_code is Offer.SHOWN
    without = profile_view(active(state=LicenseState.EXPIRING_SOON))
    assert without.enter_code is Offer.MAIN


def test_a_reserve_that_failed_for_good_is_red_and_a_new_code_is_the_main_offer() -> None:
    failed = reserve(ReserveStatus.FAILED, failure=ErrorCode.CODE_BLOCKED.value)
    view = profile_view(active(state=LicenseState.EXPIRING_SOON, reserve=failed))
    assert len(view.reserve) == 2
    assert view.reserve[1] == "Activation failed: " + texts.failure_words(
        Failure(ErrorCode.CODE_BLOCKED)
    )
    assert view.reserve_tone is Tone.BAD
    assert view.enter_code is Offer.MAIN
    waiting = reserve(ReserveStatus.FAILED, failure="timed_out", failure_transient=True)
    transient = profile_view(active(state=LicenseState.EXPIRING_SOON, reserve=waiting))
    assert transient.reserve_tone is None
    assert transient.enter_code is Offer.SHOWN


def test_an_accounts_reserve_says_where_it_comes_from() -> None:
    view = profile_view(active(reserve=reserve(source=ReserveSource.ACCOUNT)))
    assert view.reserve[1:] == ("Saved for all your devices in your account on the web.",)


def test_a_blocked_license_with_a_reserve_points_to_activate_now() -> None:
    view = profile_view(active(state=LicenseState.BLOCKED, blocked=True, reserve=reserve()))
    assert (view.status, view.status_tone) == ("Blocked", Tone.BAD)
    assert "“Activate now”" in view.summary
    assert view.enter_code is Offer.MAIN


def test_no_license() -> None:
    view = profile_view(snapshot())
    assert (view.status, view.status_tone) == ("No license", Tone.BAD)
    assert view.license is None
    assert view.summary.startswith("Your device is not protected.")
    assert view.enter_code is Offer.MAIN
    assert view.remove is Offer.DISABLED
    assert view.checked is None
    trial = profile_view(active(license=lic(kind="trial"), state=LicenseState.TRIAL))
    assert trial.license is not None
    assert (trial.license.type, trial.status_tone) == ("Trial license", Tone.OK)


def test_the_account_block() -> None:
    signed_in = profile_view(snapshot(account_email="ada@example.com"))
    assert signed_in.account == "This device is connected to the account ada@example.com."
    assert signed_in.sign_in == "Use another account…"
    assert profile_view(snapshot()).sign_in == "Sign in…"


def test_codes_kept_without_a_keyring_are_mentioned() -> None:
    view = profile_view(snapshot(secrets_secure=False, secrets_location="/home/ada/secrets"))
    assert view.storage is not None
    assert view.storage.startswith("No password keyring")
    assert profile_view(snapshot(secrets_secure=None, secrets_location=None)).storage is None
