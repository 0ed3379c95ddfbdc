"""The license never waits on the keyring: a prompt left open delays only what needs a code."""

from __future__ import annotations

import keyring
from PySide6.QtWidgets import QLabel

from app.engine.vocabulary import SaveResult
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS
from tests.keyrings import PromptingKeyring

YEAR = 365 * 86400


def test_a_start_shows_the_license_at_once_while_the_keyring_prompts(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    ui.reserve(ui.issue(2 * YEAR))
    ui.window.shutdown()
    prompting = PromptingKeyring()
    keyring.set_keyring(prompting)
    try:
        again = make_window(ui.data_dir)  # waits until the state is loaded
        again.window.show_profile()
        assert again.text("licenseStatusLabel") == "Active"
        assert again.find(QLabel, "reserveCodeLabel").text()
        assert prompting.asked == 0  # nothing needed a code: nobody was asked
    finally:
        prompting.answered.set()


def test_a_save_that_waits_for_the_keyring_says_so_and_finishes_when_it_answers(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    prompting = PromptingKeyring()
    keyring.set_keyring(prompting)
    try:
        dialog = ui.type_code(ui.issue(2 * YEAR))
        progress = ui.find(QLabel, "activationProgressText", dialog)
        with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=WAIT_MS) as saved:
            ui.click("saveActivationCodeButton", dialog)
            ui.qtbot.waitUntil(lambda: "password keyring" in progress.text(), timeout=WAIT_MS)
            prompting.answered.set()
        assert saved.args[0].result is SaveResult.RESERVED
        assert "password keyring" not in progress.text()
    finally:
        prompting.answered.set()


def test_a_keyring_that_never_answers_ends_the_save_with_a_clear_refusal(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    ui.engine.timing.keyring_wait = 1.5
    prompting = PromptingKeyring()
    keyring.set_keyring(prompting)
    try:
        dialog = ui.type_code(ui.issue(2 * YEAR))
        with ui.qtbot.waitSignal(ui.engine.saveFinished, timeout=WAIT_MS) as saved:
            ui.click("saveActivationCodeButton", dialog)
        assert saved.args[0].result is SaveResult.REFUSED
        assert ui.engine.snapshot.reserve is None
        assert ui.text("activationCodeError", dialog)
    finally:
        prompting.answered.set()
