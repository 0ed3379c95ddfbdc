"""What License details says, from snapshots made by hand: no engine, no window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from app.domain.errors import ErrorCode
from app.domain.license import LicenseState
from app.engine.vocabulary import Busy, Problem, ReserveSource, ReserveStatus
from app.failures import Failure, Unreachable
from app.gui import i18n, texts
from app.gui.details_view import details_view
from app.gui.view_model import Offer, Tone
from tests.gui.snapshots import DAY, NOW, active, reserve, snapshot


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> None:
    # The functions need no window; the English plural forms ("2 days") need a translator,
    # and a translator needs the application object.
    i18n.install("en")


def test_nothing_on_the_device() -> None:
    view = details_view(snapshot())
    assert view.license is None
    assert view.reserve is None
    assert (view.retry, view.activate_now, view.remove_reserve) == (Offer.HIDDEN,) * 3
    assert view.checked == "The status has not been confirmed with the activation server yet."
    assert view.purchase_note  # nothing confirmed: a purchase may not show yet
    assert view.server == "activation.example.com"
    assert view.secrets == "Secret Service"
    assert view.problem is None
    assert view.refresh is Offer.SHOWN


def test_an_active_license() -> None:
    view = details_view(active())
    current = view.license
    assert current is not None
    assert current.code == "•••••-•••••-•••••-AAAAA"
    assert (current.type, current.state, current.state_tone) == (
        "Standard license",
        "Active",
        Tone.OK,
    )
    assert current.activated == texts.date_time(NOW - 10 * DAY)
    assert current.expiry_title == "Expires"
    assert current.expiry == f"{texts.date_time(NOW + 100 * DAY)} (100 days left)"
    assert current.devices == "1 of 3 devices in use"
    assert view.checked == (
        "Last confirmed with the activation server: " + texts.date_time(NOW - timedelta(hours=1))
    )
    assert not view.purchase_note


def test_time_left_is_counted_from_the_snapshots_now() -> None:
    soon = details_view(
        active(state=LicenseState.EXPIRING_SOON, now=NOW + 100 * DAY - timedelta(hours=3))
    )
    assert soon.license is not None
    assert soon.license.expiry.endswith("(3 hours left)")
    assert soon.license.state_tone is Tone.WARN
    ended = details_view(active(state=LicenseState.EXPIRED, now=NOW + 100 * DAY))
    assert ended.license is not None
    assert ended.license.expiry_title == "Expired on"
    assert ended.license.expiry == texts.date_time(NOW + 100 * DAY)
    assert ended.license.state_tone is Tone.BAD
    assert ended.purchase_note  # no usable license: a new purchase may not show yet


def test_while_syncing_it_says_it_checks_and_offers_nothing_to_press() -> None:
    view = details_view(active(reserve=reserve(), busy=Busy.SYNCING))
    assert view.checked.endswith(" (checking now…)")
    assert view.refresh is Offer.DISABLED
    assert view.remove_reserve is Offer.DISABLED


def test_a_saved_reserve() -> None:
    view = details_view(active(reserve=reserve()))
    saved = view.reserve
    assert saved is not None
    assert saved.code == "•••••-•••••-•••••-BBBBB"
    assert (saved.term, saved.devices) == ("365 days", "2 devices")
    assert saved.expires == texts.date_time(NOW + 465 * DAY)
    assert saved.takes_over == texts.date_time(NOW + 100 * DAY)
    assert (saved.status, saved.status_tone) == ("Saved", None)
    assert not saved.from_account
    assert view.remove_reserve is Offer.SHOWN
    assert (view.retry, view.activate_now) == (Offer.HIDDEN, Offer.HIDDEN)
    held = details_view(active(reserve=reserve(license_token="signed-ahead")))
    assert held.reserve is not None
    assert held.reserve.status == "Ready: it takes over even with no internet connection"


def test_a_reserve_being_activated_cannot_be_removed() -> None:
    view = details_view(snapshot(reserve=reserve(ReserveStatus.ACTIVATING)))
    assert view.reserve is not None
    assert view.reserve.status == "Activating…"
    assert view.remove_reserve is Offer.DISABLED


def test_a_reserve_that_failed_for_good_is_red_and_can_be_tried_again() -> None:
    failed = reserve(ReserveStatus.FAILED, failure=ErrorCode.CODE_BLOCKED.value)
    view = details_view(snapshot(state=LicenseState.EXPIRED, reserve=failed))
    assert view.reserve is not None
    assert view.reserve.status == "Activation failed: " + texts.failure_words(
        Failure(ErrorCode.CODE_BLOCKED)
    )
    assert view.reserve.status_tone is Tone.BAD
    assert view.retry is Offer.SHOWN
    assert view.activate_now is Offer.HIDDEN
    busy = details_view(snapshot(state=LicenseState.EXPIRED, reserve=failed, busy=Busy.SYNCING))
    assert busy.retry is Offer.DISABLED
    # A license still in force stands in the way: nothing to try again yet.
    assert details_view(active(reserve=failed)).retry is Offer.HIDDEN


def test_a_reserve_that_waits_for_the_server_is_not_red() -> None:
    waiting = reserve(ReserveStatus.FAILED, failure="timed_out", failure_transient=True)
    view = details_view(snapshot(state=LicenseState.EXPIRED, reserve=waiting))
    assert view.reserve is not None
    assert view.reserve.status_tone is None
    assert view.reserve.status.startswith("Waiting for the activation server.")


def test_a_blocked_license_offers_to_activate_the_reserve_now() -> None:
    view = details_view(active(state=LicenseState.BLOCKED, blocked=True, reserve=reserve()))
    assert view.activate_now is Offer.SHOWN
    assert view.license is not None
    assert view.license.state == "Blocked"
    busy = details_view(
        active(state=LicenseState.BLOCKED, blocked=True, reserve=reserve(), busy=Busy.REMOVING)
    )
    assert busy.activate_now is Offer.DISABLED


def test_an_accounts_reserve_says_where_it_comes_from() -> None:
    view = details_view(active(reserve=reserve(source=ReserveSource.ACCOUNT)))
    assert view.reserve is not None
    assert view.reserve.from_account


def test_where_codes_are_kept_and_what_is_wrong() -> None:
    private = details_view(snapshot(secrets_secure=False, secrets_location="/home/ada/secrets"))
    assert private.secrets == (
        "/home/ada/secrets (a file only your user account can read; no password keyring)"
    )
    assert details_view(snapshot(secrets_secure=None, secrets_location=None)).secrets is None
    view = details_view(active(problem=Problem.CANNOT_WRITE, unreachable=Unreachable.REFUSED))
    assert view.problem is not None
    assert view.problem.split("\n") == [
        texts.problem_message(Problem.CANNOT_WRITE),
        texts.unreachable_message(Unreachable.REFUSED, "activation.example.com"),
    ]
    assert view.purchase_note  # the server is away: what it holds may not show yet
