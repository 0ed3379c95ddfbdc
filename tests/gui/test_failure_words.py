"""Every failure has its own words, from one table, and a notice is a function of the
snapshot: both are checked here without a window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from app.client.state import Reserve, ReserveStatus
from app.domain.errors import REASON_SEAT_FREED, ErrorCode
from app.domain.license import LicenseState
from app.engine.vocabulary import KEY_MISSING, Notice, Problem, Snapshot
from app.failures import Failure, Ours, Unreachable
from app.gui import i18n, texts
from app.gui.notice_words import LICENSE_REMOVED, REMOVE_FAILED, NextStep, describe
from tests.gui import snapshots

NOW = snapshots.NOW
ADDRESS = "licenses.example.com"
SOMETHING_ELSE = "Something went wrong. Try again later."
#: Codes no save, sign-in or removal meets as a refusal of its own (a wrong URL or method).
NOT_REFUSALS = {ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.NOT_OFFERED}


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> None:
    i18n.install("en")


@pytest.mark.parametrize("error", sorted(set(ErrorCode) - NOT_REFUSALS))
def test_every_refusal_has_words_of_its_own(error: ErrorCode) -> None:
    said = texts.failure_words(Failure(error))
    assert said
    assert said != SOMETHING_ELSE


@pytest.mark.parametrize("ours", list(Ours))
def test_every_failure_of_this_computer_has_words_of_its_own(ours: Ours) -> None:
    said = texts.failure_words(Failure(ours=ours))
    assert said
    assert said != SOMETHING_ELSE


def test_a_finer_reason_changes_the_words_and_an_unknown_one_does_not() -> None:
    plain = texts.failure_words(Failure(ErrorCode.NOT_FOUND))
    assert texts.failure_words(Failure(ErrorCode.NOT_FOUND, "hold_gone")) == plain
    freed = texts.failure_words(Failure(ErrorCode.NOT_FOUND, REASON_SEAT_FREED))
    assert "released from your account" in freed
    missing = texts.failure_words(Failure(ErrorCode.DEVICE_NOT_PROVEN, KEY_MISSING))
    assert missing == texts.problem_message(Problem.DEVICE_KEY_MISSING)


def test_an_unreachable_server_is_named_and_the_kind_chooses_the_advice() -> None:
    refused = texts.failure_words(Failure(unreachable=Unreachable.REFUSED), "example.org")
    tls = texts.failure_words(Failure(unreachable=Unreachable.SECURE_CONNECTION), "example.org")
    assert "example.org" in refused
    assert "example.org" in tls
    assert refused != tls
    assert texts.failure_words(None, "example.org") == texts.failure_words(
        Failure(unreachable=Unreachable.NETWORK), "example.org"
    )


def test_the_words_follow_the_language_in_use() -> None:
    english = texts.failure_words(Failure(ErrorCode.CODE_BLOCKED))
    i18n.install("pl")
    assert texts.failure_words(Failure(ErrorCode.CODE_BLOCKED)) != english


def snapshot(
    *, reserve: Reserve | None = None, state: LicenseState = LicenseState.NONE
) -> Snapshot:
    blocked = state is LicenseState.BLOCKED
    return snapshots.snapshot(reserve=reserve, state=state, blocked=blocked, server_address=ADDRESS)


def failed_reserve(key: str) -> Reserve:
    return Reserve(
        last5="ABCDE",
        type="commercial",
        term_seconds=365 * 86400,
        max_devices=1,
        expires_at=NOW + timedelta(days=400),
        takes_over_at=NOW + timedelta(days=35),
        saved_at=NOW,
        status=ReserveStatus.FAILED,
        failure=key,
    )


def test_a_failed_reserve_is_told_with_why_it_failed_and_offers_the_details() -> None:
    told = describe(Notice.RESERVE_FAILED, snapshot(reserve=failed_reserve("code_blocked")))
    assert told.tone == "bad"
    assert texts.failure_words(Failure(ErrorCode.CODE_BLOCKED)) in told.text
    assert told.next_step is NextStep.DETAILS


def test_a_blocked_license_offers_the_reserve_when_there_is_one() -> None:
    blocked = LicenseState.BLOCKED
    assert describe(Notice.LICENSE_BLOCKED, snapshot(state=blocked)).next_step is NextStep.ENTER
    with_reserve = snapshot(state=blocked, reserve=failed_reserve("code_blocked"))
    told = describe(Notice.LICENSE_BLOCKED, with_reserve)
    assert told.next_step is NextStep.DETAILS
    assert "switch to your reserve code" in told.text


def test_a_removal_that_could_not_be_kept_says_so() -> None:
    told = describe(REMOVE_FAILED, snapshot(), Failure(ours=Ours.CANNOT_WRITE))
    assert told.tone == "bad"
    assert "cannot write to its data folder" in told.text
    assert describe(LICENSE_REMOVED, snapshot()).tone == "ok"


@pytest.mark.parametrize("notice", list(Notice))
def test_every_notice_has_a_title_and_words(notice: Notice) -> None:
    told = describe(notice, snapshot(reserve=failed_reserve("unreachable")))
    assert told.title
    assert told.text
    assert told.tone in ("ok", "warn", "bad")
