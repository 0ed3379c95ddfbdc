"""The license never waits on the keyring: a prompt left open delays only what needs a
secret from it (a code, or the device's key that signs its calls to the server)."""

from __future__ import annotations

import keyring
from PySide6.QtWidgets import QLabel

from app.engine.vocabulary import SaveResult
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS
from tests.keyrings import MemoryKeyring, PromptingKeyring

YEAR = 365 * 86400


def test_a_start_shows_the_license_at_once_while_the_keyring_prompts(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    ui.activate(ui.issue(YEAR))
    ui.reserve(ui.issue(2 * YEAR))
    ui.window.shutdown()
    unlocked = keyring.get_keyring()
    assert isinstance(unlocked, MemoryKeyring)
    prompting = PromptingKeyring()  # the same keyring, locked: it prompts to be unlocked
    prompting.passwords.update(unlocked.passwords)
    keyring.set_keyring(prompting)
    try:
        again = make_window(ui.data_dir, wait=False)
        again.qtbot.waitUntil(lambda: again.engine.snapshot.loaded, timeout=WAIT_MS)
        again.window.show_profile()
        assert again.text("licenseStatusLabel") == "Active"
        assert again.find(QLabel, "reserveCodeLabel").text()
        # The status check waits for the device's key; once the keyring answers, it runs.
        checked = again.engine.snapshot.checked_at
        again.qtbot.waitUntil(lambda: prompting.asked > 0, timeout=WAIT_MS)
        assert again.engine.snapshot.checked_at == checked
        prompting.answered.set()
        again.qtbot.waitUntil(lambda: again.engine.snapshot.checked_at != checked, timeout=WAIT_MS)
        assert again.text("licenseStatusLabel") == "Active"
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
