"""The desktop's notification service (``org.freedesktop.Notifications``), for notices given
while no window is open and the desktop has no notification area for a tray icon.

It calls the service with ``gdbus`` (GLib's D-Bus tool, on every desktop that has the
service), on a thread of its own, so a desktop without the service costs one failed call
and never holds the engine up.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading

log = logging.getLogger("standby.notify")

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
#: The urgency hint's levels in the specification: low, normal, critical.
URGENCY = {"ok": 1, "warn": 1, "bad": 2}


def available() -> bool:
    """Can a notification be sent from here at all (a session bus and the tool)?"""
    if not sys.platform.startswith("linux") or shutil.which("gdbus") is None:
        return False
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS")) or bool(
        runtime and os.path.exists(os.path.join(runtime, "bus"))
    )


def command(title: str, text: str, tone: str) -> list[str]:
    """The ``gdbus`` call that shows one notification."""
    return [
        shutil.which("gdbus") or "gdbus",
        "call",
        "--session",
        "--dest",
        SERVICE,
        "--object-path",
        PATH,
        "--method",
        f"{SERVICE}.Notify",
        "--",  # the arguments follow (the last, -1, is not an option)
        "Standby",  # app_name
        "0",  # replaces_id: a new notification
        "standby",  # app_icon, by its icon name
        title,
        text,
        "[]",  # actions
        f"{{'urgency': <byte {URGENCY.get(tone, 1)}>, 'desktop-entry': <'standby'>}}",
        "-1",  # the server's default time-out
    ]


def notify(title: str, text: str, tone: str) -> threading.Thread | None:
    """Show a notification, without waiting for it; None when there is no service."""
    if not available():
        return None

    def send() -> None:
        try:
            done = subprocess.run(
                command(title, text, tone), capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.info("no desktop notification: %s", exc)
            return
        if done.returncode != 0:
            log.info("no desktop notification: %s", done.stderr.strip()[:200])

    thread = threading.Thread(target=send, name="standby-notify", daemon=True)
    thread.start()
    return thread
