"""The end-to-end part of ``standby --self-test``: the real app, started as ``standby``
starts it, in a temporary data folder, from the embedded server to a reserve code taking
over when a short license ends."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.selftest import installed
from app.selftest.installed import CheckFailed

if TYPE_CHECKING:
    from app.client.secrets import SecretStore
    from app.client.tokens import License
    from app.engine.engine import Engine
    from app.engine.vocabulary import SaveOutcome
    from app.gui.main_window import MainWindow

# Imported inside the steps: an import that fails there is reported as that step's failure, one
# readable line, not as a self-test that cannot start.

#: The first license's term: long enough to save a reserve code behind it on a slow, busy
#: machine, short enough to wait for.
SHORT_TERM_SECONDS = 10
#: How long any one step may take before the self-test gives up on it.
STEP_SECONDS = 20.0


def wait_until(condition: Callable[[], bool], what: str, seconds: float = STEP_SECONDS) -> float:
    """Run Qt's event loop until ``condition()`` holds; how long it took.

    An event loop with a polling timer, not a ``processEvents()`` loop: each call of
    PySide6 6.12's ``processEvents`` drops one reference to ``None`` too many, and a few
    thousand of them abort the interpreter.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    started = time.monotonic()
    failure: list[BaseException] = []

    def met() -> bool:
        try:
            return bool(condition())
        except Exception as error:  # reported as the check's failure, not swallowed
            failure.append(error)
            return True

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)

    def look() -> None:
        if met() or time.monotonic() - started > seconds:
            loop.quit()

    poll.timeout.connect(look)
    poll.start()
    if not met():
        loop.exec()
    poll.stop()
    if failure:
        raise CheckFailed(f"while waiting for {what}: {failure[0]!r}") from failure[0]
    if not met():
        raise CheckFailed(f"gave up after {seconds:.0f} s waiting for {what}")
    return time.monotonic() - started


def _masked(code: str) -> str:
    return "…" + code.replace("-", "")[-5:]


class SelfTest:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.passed = 0
        self.window: MainWindow | None = None
        self.data_dir = Path()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def check(self, name: str, step: Callable[[], str]) -> None:
        try:
            detail = step()
        except Exception as error:  # every failure becomes one readable line
            self.say(f"FAIL  {name}: {error or type(error).__name__}")
            raise CheckFailed(name) from error
        self.passed += 1
        self.say(f"ok    {name}: {detail}")

    # --- the app itself -------------------------------------------------------------------

    def embedded_server(self) -> str:
        from app.gui import start_main_window

        # Started the way `standby` starts: the frame first, the rest after its first paint.
        window = start_main_window(data_dir=self.data_dir, language="en", start_at_login=False)
        self.window = window
        wait_until(lambda: window.is_complete, "the window to be complete")
        wait_until(
            lambda: window.engine.snapshot.loaded and window.engine.snapshot.busy is None,
            "the license engine to load",
        )
        assert window.embedded is not None
        window.embedded.wait_ready()  # raises if the server failed to start
        health = window.engine.api.health()
        if health.status != "ok":
            raise CheckFailed(f"the server's health check answered {health}")
        return f"database migrated, answering at {window.embedded.url}"

    def account_console(self) -> str:
        """The embedded server's account console: its sign-in page and its style sheet,
        from the files this copy carries."""
        from urllib.request import urlopen

        assert self.window is not None
        assert self.window.embedded is not None
        base = self.window.embedded.url
        with urlopen(f"{base}/account/sign-in", timeout=STEP_SECONDS) as page:  # noqa: S310
            text = page.read().decode()
        if 'id="sign-in"' not in text:
            raise CheckFailed("the account console's sign-in page has no sign-in form")
        with urlopen(f"{base}/account/static/console.css", timeout=STEP_SECONDS) as sheet:  # noqa: S310
            size = len(sheet.read())
        return f"sign-in page and style sheet ({size} bytes) at {base}/account/"

    def _issue(self, term_seconds: int) -> str:
        assert self.window is not None
        assert self.window.embedded is not None
        return self.window.embedded.issue_code(term_seconds)

    def _save(self, code: str) -> SaveOutcome:
        engine = self._engine()
        outcomes: list[SaveOutcome] = []

        def finished(outcome: SaveOutcome) -> None:
            outcomes.append(outcome)

        engine.saveFinished.connect(finished)
        try:
            engine.save_code(code)
            wait_until(lambda: bool(outcomes), "the server's answer")
        finally:
            engine.saveFinished.disconnect(finished)
        return outcomes[0]

    def _engine(self) -> Engine:
        assert self.window is not None
        return self.window.engine

    def activation(self) -> str:
        from app.engine.vocabulary import SaveResult

        self.short = self._issue(SHORT_TERM_SECONDS)
        outcome = self._save(self.short)
        if outcome.result is not SaveResult.ACTIVATED:
            raise CheckFailed(f"the code was not activated: {outcome}")
        return f"{SHORT_TERM_SECONDS}-second code {_masked(self.short)} activated"

    def _verified(self) -> License:
        """The license on disk, checked against keys fetched from the server just now."""
        from app.client.state import StateFile
        from app.client.tokens import verify_license

        state = StateFile(self.data_dir).read().state
        if state is None or not state.license_token:
            raise CheckFailed("no license file was written")
        jwks = self._engine().api.keys()
        return verify_license(state.license_token, jwks, state.device_id)

    def signature(self) -> str:
        from app.client.tokens import InvalidLicense, verify_license

        license = self._verified()
        if license.code_last5 != self.short.replace("-", "")[-5:]:
            raise CheckFailed(f"the license names another code (…{license.code_last5})")
        head, payload, signature = license.token.split(".")
        forged = f"{head}.{payload}.{signature[:-4]}{signature[-4:][::-1]}"
        if forged == license.token:
            forged = f"{head}.{payload[:-2]}AA.{signature}"
        try:
            verify_license(forged, self._engine().api.keys(), license.device_id)
        except InvalidLicense:
            return "the license verifies with the server's Ed25519 key; an altered copy does not"
        raise CheckFailed("a license with an altered signature was accepted")

    def reserve(self) -> str:
        from app.engine.vocabulary import SaveResult

        self.reserve_code = self._issue(365 * 86400)
        outcome = self._save(self.reserve_code)
        if outcome.result is SaveResult.ACTIVATED:
            raise CheckFailed(
                f"the first license ({SHORT_TERM_SECONDS} s) ended before the reserve code was "
                "saved behind it: this computer was too busy; run the self-test again"
            )
        if outcome.result is not SaveResult.RESERVED:
            raise CheckFailed(f"the code was not saved as the reserve: {outcome}")
        snapshot = self._engine().snapshot
        where = snapshot.secrets_location or "?"
        kind = "OS keyring" if snapshot.secrets_secure else "private file (no usable keyring)"
        return f"{_masked(self.reserve_code)} saved in the {kind}: {where}"

    def takeover(self) -> str:
        from app.domain.license import LicenseState
        from app.engine.local import RESERVE_SECRET
        from app.engine.vocabulary import Notice

        engine = self._engine()
        notices: list[str] = []

        def noticed(notice: str) -> None:
            notices.append(notice)

        engine.notice.connect(noticed)
        wanted = self.reserve_code.replace("-", "")[-5:]

        def taken_over() -> bool:
            snapshot = engine.snapshot
            return (
                snapshot.license is not None
                and snapshot.license.code_last5 == wanted
                and snapshot.reserve is None
                and snapshot.state is LicenseState.ACTIVE
            )

        try:
            took = wait_until(
                taken_over, "the reserve code to take over", SHORT_TERM_SECONDS + STEP_SECONDS
            )
        except CheckFailed as error:
            snapshot = engine.snapshot
            reserve = snapshot.reserve
            raise CheckFailed(
                f"{error}; the license is {snapshot.state.value}, the reserve is "
                + (
                    f"{reserve.status.value} ({reserve.failure_message or 'no error'})"
                    if reserve
                    else "gone"
                )
            ) from None
        finally:
            engine.notice.disconnect(noticed)
        if Notice.RESERVE_ACTIVATED not in notices:
            raise CheckFailed(f"no 'reserve activated' notice (got {notices})")
        license = self._verified()
        if license.code_last5 != wanted:
            raise CheckFailed("the license file does not hold the reserve code's license")
        # The engine forgets the used code on its worker, just after the switch.
        secret = RESERVE_SECRET.format(device_id=engine.snapshot.device_id or "")
        store = self._secret_store()
        wait_until(lambda: store.get(secret) is None, "the used reserve code to leave the keyring")
        return (
            f"{_masked(self.reserve_code)} activated itself {took:.1f} s later, "
            "when the first license ended; its license verifies"
        )

    def window_drawn(self) -> str:
        window = self.window
        assert window is not None
        window.show()
        wait_until(window.isVisible, "the window to show")
        image = window.grab().toImage()
        if image.isNull() or image.width() < 200:
            raise CheckFailed("the window did not draw")
        return f"main window drawn at {image.width()}×{image.height()}"

    def _secret_store(self) -> SecretStore:
        """The same kind of store the engine chose (without probing the keyring again)."""
        from app.client.secrets import FileStore, KeyringStore
        from app.engine.local import KEYRING_SERVICE, SECRETS_FALLBACK_FILE

        if self._engine().snapshot.secrets_secure:
            return KeyringStore(KEYRING_SERVICE)
        return FileStore(self.data_dir / SECRETS_FALLBACK_FILE)

    # --- running it -------------------------------------------------------------------------

    def run(self) -> bool:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("files", installed.files),
            ("Qt platform plugins", installed.platform_plugins),
            ("keyring backends", installed.keyring_backends),
            ("embedded server", self.embedded_server),
            ("account console", self.account_console),
            ("activation", self.activation),
            ("signature", self.signature),
            ("reserve code", self.reserve),
            ("takeover", self.takeover),
            ("window", self.window_drawn),
        ]
        with tempfile.TemporaryDirectory(prefix="standby-self-test-") as folder:
            self.data_dir = Path(folder)
            try:
                for name, step in steps:
                    self.check(name, step)
            except CheckFailed:
                return False
            finally:
                self._close()
        return True

    def _close(self) -> None:
        from app.engine.local import RESERVE_SECRET

        window = self.window
        if window is None:
            return
        device = window.engine.snapshot.device_id if window.is_complete else None
        window.shutdown()
        window.deleteLater()
        if device:
            try:  # leave nothing behind in the user's keyring, even after a failure
                self._secret_store().delete(RESERVE_SECRET.format(device_id=device))
            except Exception as error:  # reported, not fatal: the checks have their answer
                self.say(f"note: could not remove the self-test's keyring entry: {error}")
