"""Every refusal the server can give for Save activation code ends in its own message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from app.domain.errors import (
    REASON_CURRENT_CODE,
    REASON_SAVED_RESERVE,
    REASON_VALID_UNTIL,
    ErrorCode,
)
from app.domain.license import LicenseType
from app.failures import Failure
from app.gui import texts
from tests.gui.conftest import MakeWindow
from tests.gui.driver import Driver
from tests.server.helpers import activate, new_device
from tests.servers import RunningServer

YEAR = 365 * 86400


def _subscription(ui: Driver, _server: RunningServer) -> str:
    ui.activate(ui.issue(YEAR, license_type=LicenseType.SUBSCRIPTION))
    return ui.issue(2 * YEAR)


def _trial_reserve(ui: Driver, _server: RunningServer) -> str:
    ui.activate(ui.issue(YEAR))
    return ui.issue(2 * YEAR, license_type=LicenseType.TRIAL)


def _same_as_current(ui: Driver, _server: RunningServer) -> str:
    code = ui.issue(YEAR)
    ui.activate(code)
    return code


def _same_as_reserve(ui: Driver, _server: RunningServer) -> str:
    ui.activate(ui.issue(YEAR))
    reserve = ui.issue(2 * YEAR)
    ui.reserve(reserve)
    return reserve


def _not_later(ui: Driver, server: RunningServer) -> str:
    """Fact 7: a code first activated elsewhere runs from then, so it ends before this one."""
    ui.activate(ui.issue(YEAR))
    code = ui.issue(2 * 30 * 86400, devices=2)
    assert activate(server, code, new_device()).status_code == 201
    return code


def _valid_until_too_early(ui: Driver, _server: RunningServer) -> str:
    """A long term, but it can only be activated until before the current license ends."""
    ui.activate(ui.issue(YEAR))
    return ui.issue(5 * YEAR, valid_until=datetime.now(UTC) + timedelta(days=30))


def _incompatible(ui: Driver, _server: RunningServer) -> str:
    return ui.issue(YEAR, app_versions=">=9")


def _blocked(ui: Driver, _server: RunningServer) -> str:
    code = ui.issue(YEAR)
    ui.services.operator.block_code(code)
    return code


def _unknown(ui: Driver, _server: RunningServer) -> str:
    from app.domain import codes

    return codes.generate()


def _past_valid_until(ui: Driver, _server: RunningServer) -> str:
    return ui.issue(YEAR, valid_until=datetime.now(UTC) - timedelta(days=1))


def _device_limit(ui: Driver, server: RunningServer) -> str:
    code = ui.issue(YEAR)
    assert activate(server, code, new_device()).status_code == 201
    return code


def _account(ui: Driver, _server: RunningServer) -> str:
    return ui.issue(YEAR, requires_account=True)


def _reserve_device_limit(ui: Driver, server: RunningServer) -> str:
    ui.activate(ui.issue(YEAR))
    code = ui.issue(2 * YEAR)
    assert activate(server, code, new_device()).status_code == 201
    return code


CASES: dict[str, tuple[ErrorCode, Callable[[Driver, RunningServer], str]]] = {
    "subscription": (ErrorCode.SUBSCRIPTION_NO_RESERVE, _subscription),
    "trial-as-reserve": (ErrorCode.RESERVE_TYPE_NOT_ALLOWED, _trial_reserve),
    "same-code": (ErrorCode.SAME_CODE, _same_as_current),
    "same-as-reserve": (ErrorCode.SAME_CODE, _same_as_reserve),
    "not-later": (ErrorCode.NOT_LATER_THAN_CURRENT, _not_later),
    "valid-until-too-early": (ErrorCode.NOT_LATER_THAN_CURRENT, _valid_until_too_early),
    "incompatible": (ErrorCode.INCOMPATIBLE_VERSION, _incompatible),
    "blocked": (ErrorCode.CODE_BLOCKED, _blocked),
    "unknown": (ErrorCode.CODE_NOT_FOUND, _unknown),
    "expired": (ErrorCode.CODE_EXPIRED, _past_valid_until),
    "device-limit": (ErrorCode.DEVICE_LIMIT_REACHED, _device_limit),
    "device-limit-as-reserve": (ErrorCode.DEVICE_LIMIT_REACHED, _reserve_device_limit),
    "account": (ErrorCode.ACCOUNT_REQUIRED, _account),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_refusal_has_its_own_message(
    make_window: MakeWindow, server: RunningServer, case: str
) -> None:
    error, prepare = CASES[case]
    ui = make_window()
    code = prepare(ui, server)
    status_before = ui.text("licenseStatusLabel")
    reserve_before = ui.text("reserveCodeLabel")

    dialog, outcome = ui.save_code(code)

    assert outcome.result.value == "refused"
    assert outcome.failure is not None
    assert outcome.failure.error is error
    shown = ui.find(QLabel, "activationCodeError", dialog)
    assert shown.isVisible()
    assert shown.text() == texts.failure_words(Failure(error, outcome.failure.reason))
    assert ui.find(QPushButton, "saveActivationCodeButton", dialog).isEnabled()  # can try again
    assert ui.text("licenseStatusLabel") == status_before
    assert ui.text("reserveCodeLabel") == reserve_before


def test_refusal_messages_are_all_different() -> None:
    shown = {texts.failure_words(Failure(code)) for code, _ in CASES.values()}
    assert len(shown) == len({code for code, _ in CASES.values()})
    precise = {
        texts.failure_words(Failure(ErrorCode.NOT_LATER_THAN_CURRENT, REASON_VALID_UNTIL)),
        texts.failure_words(Failure(ErrorCode.SAME_CODE, REASON_CURRENT_CODE)),
        texts.failure_words(Failure(ErrorCode.SAME_CODE, REASON_SAVED_RESERVE)),
    }
    assert len(precise) == 3
    assert not precise & shown


@pytest.mark.parametrize(
    ("prepare", "says"),
    [
        (_same_as_current, "your current license was activated with"),
        (_same_as_reserve, "already saved as your reserve"),
    ],
)
def test_typing_a_code_the_device_holds_says_which_one_it_is(
    make_window: MakeWindow,
    server: RunningServer,
    prepare: Callable[[Driver, RunningServer], str],
    says: str,
) -> None:
    ui = make_window()
    dialog, outcome = ui.save_code(prepare(ui, server))
    assert outcome.failure is not None
    assert outcome.failure.error is ErrorCode.SAME_CODE
    assert says in ui.text("activationCodeError", dialog)


def test_a_code_that_could_not_take_over_in_time_says_why(
    make_window: MakeWindow, server: RunningServer
) -> None:
    ui = make_window()
    dialog, outcome = ui.save_code(_valid_until_too_early(ui, server))
    assert outcome.failure is not None
    assert outcome.failure.reason == REASON_VALID_UNTIL
    assert "only be activated until a date before" in ui.text("activationCodeError", dialog)
