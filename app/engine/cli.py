"""``standby license show|add|remove|sync``: the license from a script or a terminal
(``standby account ...`` goes the same way: :mod:`.account_cli`).

When a Standby process owns the data directory (a window, or ``--background``) the request
goes to it. Otherwise ``show`` reads the directory and writes nothing (:mod:`.show`), and
the others take the directory, run an engine (and the embedded server when there is no
``--server``) just long enough to finish the command and whatever it set off (a reserve
taking over after ``remove``), and let go.

Every launch of ``standby`` loads this module, a window's too: what only a command run
here needs (Qt, the engine, the embedded server: about 0.6 s, ``bench/imports.py``) is
imported inside the functions that run it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.domain import codes
from app.engine.results import DONE, Result

#: A command finishes, and what it set off settles, within this time (or the CLI gives up
#: waiting for the aftermath; the command itself has had its answer).
SETTLE_MS = 30_000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="standby license",
        description="Show, add or remove this device's license, or check it with the server now.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="show|add|remove|sync")
    show = actions.add_parser("show", help="what the device knows about its license")
    show.add_argument("--json", action="store_true", help="one JSON object (contract.md)")
    add = actions.add_parser("add", help="what Save activation code does")
    add.add_argument("code", help="the activation code, XXXXX-XXXXX-XXXXX-XXXXX")
    remove = actions.add_parser("remove", help="remove the license (the reserve takes over)")
    remove.add_argument("--reserve", action="store_true", help="remove the reserve code instead")
    sync = actions.add_parser("sync", help="ask the activation server now")
    for sub in (show, add, remove, sync):
        sub.add_argument("--server", metavar="URL", help="activation server (default: embedded)")
        sub.add_argument("--data-dir", metavar="DIR", help="where this device keeps its state")
    return parser


#: Options of ``standby`` that mean the same to ``standby license``, wherever they stand:
#: ``standby --data-dir D license add CODE`` is ``standby license add CODE --data-dir D``.
SHARED_OPTIONS = ("--server", "--data-dir")
#: ``standby``'s options that take a value (``--lang`` means nothing to a license command).
VALUE_OPTIONS = (*SHARED_OPTIONS, "--lang")


def split_leading_options(words: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """``words`` as (the options that stand before the first other word, the rest);
    None when a word before it is not one of :data:`VALUE_OPTIONS`."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        word = words[index]
        if word.split("=", 1)[0] not in VALUE_OPTIONS:
            return None
        index += 1 if "=" in word else 2
    return list(words[:index]), list(words[index:])


def _leading_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="standby", add_help=False)
    parser.add_argument("--server", metavar="URL")
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--lang", choices=["en", "pl"])
    return parser


def parse(
    argv: Sequence[str],
    leading: Sequence[str] = (),
    parser_of: Callable[[], argparse.ArgumentParser] = build_parser,
) -> argparse.Namespace:
    """The command, with ``leading`` (options given before ``license``, or between it and
    its action) meaning what they mean after it. One option given twice with two values
    is bad usage (exit 2), as is anything argparse refuses."""
    words = list(argv)
    split = split_leading_options(words)
    if split is not None and split[1]:
        leading, words = [*leading, *split[0]], split[1]
    before = _leading_parser().parse_args(leading)
    parser = parser_of()
    args = parser.parse_args(words)
    for name in ("server", "data_dir"):
        given, early = getattr(args, name), getattr(before, name)
        if given is not None and early is not None and given != early:
            parser.error(f"--{name.replace('_', '-')} is given twice, with two values")
        if given is None:
            setattr(args, name, early)
    return args


def bad_server(args: argparse.Namespace, prog: str) -> bool:
    """``--server`` is not a URL (said on stderr: exit 2)."""
    if args.server and not args.server.startswith(("http://", "https://")):
        print(f"{prog}: --server must be an http(s):// URL: {args.server!r}", file=sys.stderr)
        return True
    return False


def main(argv: Sequence[str], default_data_dir: Path, leading: Sequence[str] = ()) -> int:
    args = parse(argv, leading)  # bad usage: argparse says so and exits 2
    if bad_server(args, "standby license"):
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
    elif args.action == "remove":
        request["reserve"] = args.reserve
    return deliver(request, args, default_data_dir)


def deliver(request: dict[str, Any], args: argparse.Namespace, default_data_dir: Path) -> int:
    """Carry ``request`` out: through the process that owns the data directory, or here;
    print its answer and return its exit status."""
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir
    from app.engine.ask import NotAnswering, ask

    try:
        answer = ask(data_dir, request) if data_dir.is_dir() else None
        result = Result.from_message(answer) if answer is not None else None
        if result is None and request["op"] == "license" and args.action == "show":
            result = _show_here(data_dir, as_json=args.json)
        elif result is None:
            from PySide6.QtCore import QCoreApplication

            if QCoreApplication.instance() is None:
                QCoreApplication([sys.argv[0]])
            result = _run_here(data_dir, args.server, request)
    except NotAnswering as exc:
        print(f"standby {request['op']}: {exc}; try again, or restart Standby", file=sys.stderr)
        return 1
    except _Unwritable as exc:
        print(f"error: cannot_write: {exc}; nothing was changed", file=sys.stderr)
        return 1
    sys.stdout.write(result.out)
    sys.stderr.write(result.err)
    return result.status


class _Unwritable(Exception):
    pass


def _show_here(data_dir: Path, *, as_json: bool) -> Any:
    """No process owns ``data_dir``: read it (and write nothing)."""
    from app.engine.commands import show_json, show_text
    from app.engine.show import show

    logging.getLogger().addHandler(logging.NullHandler())  # what it finds, it says below
    shown = show(data_dir, datetime.now(UTC))
    if as_json:
        return Result(DONE, out=json.dumps(show_json(shown.snapshot)) + "\n")
    note = (
        f"the pinned server keys could not be read ({shown.unchecked}): the license was "
        "checked against their copy in the data directory\n"
        if shown.unchecked
        else ""
    )
    return Result(DONE, out=show_text(shown.snapshot, took_over=shown.took_over), err=note)


def _run_here(data_dir: Path, server_url: str | None, request: dict[str, Any]) -> Any:
    """No process owns ``data_dir``: take it and carry the request out here."""
    from PySide6.QtCore import QCoreApplication, QTimer

    from app import logs
    from app.engine.ask import NotAnswering, ask
    from app.engine.commands import Commands
    from app.engine.owner import Owner
    from app.wiring import Wired, wire

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / ".standby-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise _Unwritable(
            f"the data directory {data_dir} cannot be written ({exc.strerror or exc})"
        ) from exc
    if os.name == "posix":
        data_dir.chmod(0o700)
    owner = Owner(data_dir)
    if not owner.claim():  # one started just now: it answers instead
        answer = ask(data_dir, request)
        if answer is not None:
            return Result.from_message(answer)
        raise NotAnswering(f"the data directory {data_dir} is held by another program")
    # Its stderr is the command's answer (one line when refused); the log file has the rest.
    logs.setup(data_dir, console_level=logging.CRITICAL)
    app = QCoreApplication.instance()
    assert app is not None
    wired: Wired | None = None
    try:
        wired = wire(data_dir, server_url)
        engine = wired.engine
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

        # sync: the command's own; signing out asks the server nothing
        wired.start(sync=request.get("action") not in ("sync", "sign-out"))
        commands.run(request, finished)
        app.exec()
        engine.shutdown()
        return results[0] if results else Result(1, err="error: interrupted: nothing was done\n")
    finally:
        if wired is not None:
            wired.stop_server()
        owner.release()


def _serve(commands: Any, message: dict[str, Any], reply: Any) -> None:
    """Requests another process sends meanwhile: license and account ones are answered,
    the rest not."""
    if message.get("op") in ("license", "account"):
        commands.run(message, lambda result: reply(result.as_message()))
    else:
        # Busy: a second ``standby`` waits for this command to finish, then starts.
        reply({"status": 1, "busy": True, "err": "a standby license command is running\n"})
