"""``standby license show|add|remove``: the license from a script or a terminal.

When a Standby process owns the data directory (a window, or ``--background``) the request
goes to it; otherwise this process takes the directory, runs an engine (and the embedded
server when there is no ``--server``) just long enough to finish the command and whatever
it set off (a reserve taking over after ``remove``), and lets go.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.domain import codes

#: A command finishes, and what it set off settles, within this time (or the CLI gives up
#: waiting for the aftermath; the command itself has had its answer).
SETTLE_MS = 30_000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="standby license", description="Show, add or remove this device's license."
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="show|add|remove")
    show = actions.add_parser("show", help="what the device knows about its license")
    show.add_argument("--json", action="store_true", help="one JSON object (contract.md)")
    add = actions.add_parser("add", help="what Save activation code does")
    add.add_argument("code", help="the activation code, XXXXX-XXXXX-XXXXX-XXXXX")
    remove = actions.add_parser("remove", help="remove the license (the reserve takes over)")
    remove.add_argument("--reserve", action="store_true", help="remove the reserve code instead")
    for sub in (show, add, remove):
        sub.add_argument("--server", metavar="URL", help="activation server (default: embedded)")
        sub.add_argument("--data-dir", metavar="DIR", help="where this device keeps its state")
    return parser


def main(argv: Sequence[str], default_data_dir: Path) -> int:
    args = build_parser().parse_args(argv)  # bad usage: argparse says so and exits 2
    if args.server and not args.server.startswith(("http://", "https://")):
        print(
            f"standby license: --server must be an http(s):// URL: {args.server!r}", file=sys.stderr
        )
        return 2
    request: dict[str, Any] = {"op": "license", "action": args.action}
    if args.action == "show":
        request["json"] = args.json
    elif args.action == "add":
        try:
            request["code"] = codes.normalize(args.code)
        except codes.InvalidCodeFormat as exc:
            print(f"error: invalid_format: {exc}", file=sys.stderr)
            return 2
    else:
        request["reserve"] = args.reserve
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir
    from PySide6.QtCore import QCoreApplication

    from app.engine.ask import NotAnswering, ask
    from app.engine.commands import Result

    if QCoreApplication.instance() is None:
        QCoreApplication([sys.argv[0]])
    try:
        answer = ask(data_dir, request) if data_dir.is_dir() else None
        result = Result.from_message(answer) if answer is not None else None
        if result is None:
            result = _run_here(data_dir, args.server, request)
    except NotAnswering as exc:
        print(f"standby license: {exc}; try again, or restart Standby", file=sys.stderr)
        return 1
    except _Unwritable as exc:
        print(f"standby license: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(result.out)
    sys.stderr.write(result.err)
    return result.status


class _Unwritable(Exception):
    pass


def _run_here(data_dir: Path, server_url: str | None, request: dict[str, Any]) -> Any:
    """No process owns ``data_dir``: take it and carry the request out here."""
    from PySide6.QtCore import QCoreApplication, QTimer

    from app import logs
    from app.client.api import ActivationApi
    from app.engine.ask import ask
    from app.engine.commands import Commands, Result
    from app.engine.effects import secret_store_opener
    from app.engine.engine import Engine
    from app.engine.owner import Owner

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / ".standby-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise _Unwritable(
            f"the data directory {data_dir} cannot be written: {exc.strerror or exc}"
        ) from exc
    if os.name == "posix":
        data_dir.chmod(0o700)
    owner = Owner(data_dir)
    if not owner.claim():  # one started just now: it answers instead
        answer = ask(data_dir, request)
        if answer is not None:
            return Result.from_message(answer)
        raise _Unwritable(f"the data directory {data_dir} is locked by another program")
    logs.setup(data_dir)
    app = QCoreApplication.instance()
    assert app is not None
    embedded = None
    try:
        if server_url is None:
            from app.server.embedded import EmbeddedServer

            embedded = EmbeddedServer(data_dir)
            server_url = embedded.bind()
            embedded.start()
        engine = Engine(data_dir, ActivationApi(server_url), secret_store_opener(data_dir))
        commands = Commands(engine)
        owner.request.connect(lambda message, reply: _serve(commands, message, reply))
        results: list[Result] = []

        def settle() -> None:
            if results and engine.idle:
                app.quit()

        def finished(result: Result) -> None:
            results.append(result)
            engine.changed.connect(settle)
            QTimer.singleShot(0, settle)
            QTimer.singleShot(SETTLE_MS, app.quit)

        engine.start(sync=request.get("action") != "show")
        commands.run(request, finished)
        app.exec()
        engine.shutdown()
        return results[0] if results else Result(1, err="error: interrupted: nothing was done\n")
    finally:
        if embedded is not None:
            embedded.stop()
        owner.release()


def _serve(commands: Any, message: dict[str, Any], reply: Any) -> None:
    """Requests another process sends meanwhile: license ones are answered, the rest not."""
    if message.get("op") == "license":
        commands.run(message, lambda result: reply(result.as_message()))
    else:
        # Busy: a second ``standby`` waits for this command to finish, then starts.
        reply({"status": 1, "busy": True, "err": "a standby license command is running\n"})
