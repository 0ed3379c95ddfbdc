"""``standby`` / ``python -m app``: the desktop app."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.data_dir import default_data_dir
from app.engine.cli import split_leading_options

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.engine.owner import Owner

# Imported inside functions: each way of running (a command, a second launch handing over, the
# window, the self-test) loads only its own part; a second launch loads no Qt at all
# (bench/imports.py: Qt and the window are about 1 s).


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="standby",
        description="Standby license client. Also: standby license show|add|remove|sync "
        "(see standby license --help) and standby account sign-in EMAIL --password-stdin "
        "[--name NAME] | sign-out (see standby account --help).",
    )
    parser.add_argument("--server", metavar="URL", help="activation server (default: embedded)")
    parser.add_argument("--data-dir", metavar="DIR", help="where this device keeps its state")
    parser.add_argument("--lang", choices=["en", "pl"], help="language of the window")
    parser.add_argument(
        "--background",
        action="store_true",
        help="run the license engine with no window (a tray icon opens one): for login",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works (no display needed) and exit: 0 if it does",
    )
    parser.add_argument("--version", action="version", version=f"standby {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    split = split_leading_options(arguments)
    if split is not None and split[1][:1] == ["license"]:
        from app.engine.cli import main as license_main

        return license_main(split[1][1:], default_data_dir(), leading=split[0])
    if split is not None and split[1][:1] == ["account"]:
        from app.engine.account_cli import main as account_main

        return account_main(split[1][1:], default_data_dir(), leading=split[0])
    args = build_parser().parse_args(arguments)
    if args.server and not args.server.startswith(("http://", "https://")):
        print(
            f"standby: --server must be an http:// or https:// URL, not {args.server!r}",
            file=sys.stderr,
        )
        return 2
    if args.self_test:
        from app import logs
        from app.selftest import run

        logs.setup(None)

        return run()
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    from app.engine.ask import NotAnswering, ask

    try:  # one process owns a data directory: a second launch hands over and leaves
        answer = ask(data_dir, {"op": "open"}) if data_dir.is_dir() else None
    except NotAnswering:
        # Its owner is on its way out (a finished command shutting down) or stuck: wait for
        # the directory below, which says so if it never comes free.
        answer = None
    if answer is not None and not answer.get("busy"):
        return 0
    return _start(args, data_dir)


def _start(args: argparse.Namespace, data_dir: Path) -> int:
    """Start Standby here (its window, or in the background) owning ``data_dir``."""
    if (
        not os.environ.get("QT_QPA_PLATFORM")
        and sys.platform.startswith("linux")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        print(
            "standby: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
            "start it in a desktop session, or set QT_QPA_PLATFORM=offscreen",
            file=sys.stderr,
        )
        return 2
    from app import logs

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"standby: the data directory {data_dir} cannot be made: {exc}", file=sys.stderr)
        return 2
    logs.setup(data_dir)
    logging.getLogger("standby").info("Standby %s starting, data in %s", __version__, data_dir)

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Standby")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("standby")
    from app.engine.owner import Owner

    owner = Owner(data_dir)
    if not owner.claim():
        status = _wait_for_directory(owner, data_dir)
        if status is not None:
            return status
    from app.gui.host import STARTUP_PROBE, Host, report_first_paint

    host = Host(owner, data_dir, args.lang)
    if args.background:
        app.setQuitOnLastWindowClosed(False)
        host.run_in_background(args.server)
        app.aboutToQuit.connect(host.shutdown)
    else:
        window = host.show_window(args.server)
        app.aboutToQuit.connect(host.shutdown)
        if os.environ.get(STARTUP_PROBE):
            report_first_paint(window)
    _quit_on_signals(app)
    return app.exec()


def _wait_for_directory(owner: Owner, data_dir: Path) -> int | None:
    """Another process holds the data directory: a Standby that started at the same moment
    (it shows its window: exit 0), or a ``standby license`` finishing its command (wait for
    it, then take the directory: None)."""
    from app.engine.ask import NotAnswering, ask

    deadline = time.monotonic() + 40  # a command settles within 30 s
    why = f"{data_dir} stayed busy with another command"
    while time.monotonic() < deadline:
        try:
            answer = ask(data_dir, {"op": "open"})
        except NotAnswering as exc:
            # A command that has finished stops answering before it lets the directory go
            # (its engine shutting down): wait on, as for a busy one.
            answer, why = None, str(exc)
        if answer is not None and not answer.get("busy"):
            return 0
        if owner.claim():
            return None
        time.sleep(0.2)
    print(f"standby: {why}; try again", file=sys.stderr)
    return 1


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or a plain kill closes the app properly (saving where the window was).

    Python runs its signal handlers only between bytecodes, and Qt's loop may sleep for
    hours: the signal's byte on a socket pair wakes the loop (no ticker waking it
    needlessly).
    """
    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def woken() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(woken)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda _number, _frame: app.quit())
    _keep.extend((reader, writer, notifier))  # alive as long as the process


_keep: list[object] = []


if __name__ == "__main__":
    raise SystemExit(main())
