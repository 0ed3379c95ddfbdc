"""The secret store against a real Secret Service: gnome-keyring on a private D-Bus session."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.needs import missing_commands, need

REPO = Path(__file__).resolve().parents[2]
MARKER = "SECRET-SERVICE-ROUND-TRIP-OK"

CHILD_SCRIPT = textwrap.dedent(
    f"""
    import pathlib
    import sys

    from app.client.secrets import open_secret_store

    fallback = pathlib.Path(sys.argv[1])
    store = open_secret_store("standby-integration-test", fallback)
    assert store.secure is True, ("fell back", store.location)
    assert "Secret Service" in store.location, store.location
    store.set("reserve-1", "RSV-7Q2K-M9XD-4HTA")
    assert store.get("reserve-1") == "RSV-7Q2K-M9XD-4HTA"
    store.delete("reserve-1")
    assert store.get("reserve-1") is None
    assert not fallback.exists()
    print({MARKER!r})
    """
)


def test_secret_store_round_trip_in_gnome_keyring(tmp_path: Path) -> None:
    absent = missing_commands("dbus-run-session", "gnome-keyring-daemon")
    need(
        "secret-service",
        f"{' and '.join(absent)} not found (Debian: apt-get install -y gnome-keyring dbus-daemon)"
        if absent
        else None,
    )
    dbus_run_session = shutil.which("dbus-run-session")
    keyring_daemon = shutil.which("gnome-keyring-daemon")
    assert dbus_run_session is not None
    assert keyring_daemon is not None

    home = tmp_path / "home"
    home.mkdir()
    command = (
        f"echo -n pw | {shlex.quote(keyring_daemon)} --unlock --components=secrets >/dev/null; "
        f'exec {shlex.quote(sys.executable)} -c "$0" "$1"'
    )
    env = {
        **os.environ,
        # A throwaway home, so the daemon creates its keyring here and not in the user's.
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "PYTHONPATH": os.pathsep.join(
            part for part in (str(REPO), os.environ.get("PYTHONPATH")) if part
        ),
    }
    (tmp_path / "runtime").mkdir(mode=0o700)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)

    result = subprocess.run(
        [
            dbus_run_session,
            "--",
            "sh",
            "-c",
            command,
            CHILD_SCRIPT,
            str(tmp_path / "fallback-secrets.json"),
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    report = f"exit code {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, report
    assert MARKER in result.stdout, report
