"""``standby`` as real processes: run to their end, or left running in the background."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

YEAR = 365 * 86400
#: How long a condition may take to come true before the test fails.
PATIENCE = 30.0


def env() -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def as_a_user() -> list[str]:
    """What runs a command with a user's rights on files: root keeps its id but loses its
    power to write where the permissions say no (``setpriv``, util-linux)."""
    if os.geteuid() != 0:
        return []
    dropped = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={dropped}", f"--bounding-set={dropped}"]


def standby(*args: str, user: bool = False, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``standby ARGS`` run to its end (``user``: with a user's rights on files)."""
    return subprocess.run(
        [*(as_a_user() if user else []), sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env={**env(), **extra_env},
        timeout=60,
        check=False,
    )


def spawn(
    *args: str, extra_env: dict[str, str] | None = None, user: bool = False
) -> subprocess.Popen[bytes]:
    """``standby ARGS`` started, left running (``user``: with a user's rights on files)."""
    return subprocess.Popen(
        [*(as_a_user() if user else []), sys.executable, "-m", "app", *args],
        env={**env(), **(extra_env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def show(data_dir: Path) -> dict[str, Any]:
    done = standby("license", "show", "--json", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert isinstance(answer, dict)
    return answer


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)  # another process's state: nothing to connect a signal to


class Background:
    def __init__(self, data_dir: Path, server_url: str) -> None:
        self.data_dir, self.server_url = data_dir, server_url
        self.process: subprocess.Popen[bytes] | None = None
        self.extra_env: dict[str, str] = {}
        self.user = False  # with a user's rights on files

    def start(self) -> None:
        from app.engine.ask import ask

        self.process = spawn(
            "--background",
            "--server",
            self.server_url,
            "--data-dir",
            str(self.data_dir),
            extra_env=self.extra_env,
            user=self.user,
        )
        wait_for(
            lambda: (
                self.data_dir.is_dir()
                and ask(self.data_dir, {"op": "license", "action": "show"}) is not None
            ),
            "the background engine to answer",
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)


def account_sign_in(
    device: Path, server_url: str, email: str, password: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """``standby account sign-in EMAIL --password-stdin``, the password typed on stdin."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "account",
            "sign-in",
            email,
            "--password-stdin",
            *extra,
            "--server",
            server_url,
            "--data-dir",
            str(device),
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
        check=False,
    )
