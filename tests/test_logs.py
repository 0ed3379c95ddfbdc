"""The app's log: a private, rotating file in the data directory; the terminal stays quiet."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from app.domain.codes import mask_suffix
from app.logs import LOG_FILE, hide_codes
from app.server.services import Services
from tests.engine.processes import standby
from tests.servers import RunningServer, issue_code

YEAR = 365 * 86400

STARTED = "the built-in activation server answers at"


def test_codes_never_reach_the_log_whole() -> None:
    line = "saving ABCDE-FGHJK-MNPQR-ST123 and abcdefghjkmnpqrst123, not device-0123456789ab"
    hidden = hide_codes(line)
    assert "ABCDE" not in hidden
    assert "abcdefghjkmnpq" not in hidden
    assert hidden.count("•••••-•••••-•••••-") == 2
    assert "ST123" in hidden  # the last five stay, as the window shows them
    assert "device-0123456789ab" in hidden


def test_a_start_writes_to_the_log_file_and_only_warnings_to_the_terminal(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "HOME": str(tmp_path),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), "--lang", "en"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = data_dir / LOG_FILE
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and STARTED in log.read_text()):
            assert app.poll() is None, app.communicate()
            assert time.monotonic() < deadline, "the embedded server never started"
            time.sleep(0.1)
    finally:
        app.send_signal(signal.SIGTERM)
        out, err = app.communicate(timeout=30)
    assert app.returncode == 0, err
    text = log.read_text()
    # The libraries' chatter (Alembic's migration and plugins, uvicorn's start) stays out.
    assert " alembic." not in text
    assert " uvicorn." not in text
    assert "loaded: no license; no reserve code; no account" in text
    # Starting asks no keyring (it may prompt the user); a code needed later does.
    assert "keyring" not in text.lower()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert " INFO " not in out + err


def test_each_change_of_the_license_is_logged_with_codes_masked(
    tmp_path: Path, server: RunningServer, services: Services
) -> None:
    current, reserve = issue_code(services, YEAR), issue_code(services, 2 * YEAR)
    folder = tmp_path / "device"
    for code in (current, reserve):
        added = standby("license", "add", code, "--server", server.url, "--data-dir", str(folder))
        assert added.returncode == 0, added.stderr
    text = (folder / LOG_FILE).read_text()
    changes = [line.split(" now: ", 1)[1] for line in text.splitlines() if " now: " in line]
    assert len(changes) == 2, text
    assert changes[0].startswith(f"license {mask_suffix(current[-5:])} (commercial, until ")
    assert "; no reserve code;" in changes[0]
    assert f"; reserve {mask_suffix(reserve[-5:])} (held, takes over at " in changes[1]
    for code in (current, reserve):
        assert code not in text
        assert code.replace("-", "") not in text
