"""``standby account sign-in|sign-out``: the device's account from a script or a terminal.

They go where ``standby license`` commands go (:mod:`.cli`): to the Standby process that
owns the data directory, or to an engine run here just long enough. Exit statuses are the
license commands': 0 done; 1 refused (``error: <code>: <message>`` on stderr); 2 bad usage;
3 the activation server could not be reached (nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.names import NAME_MOST, clean_name
from app.engine import cli

if TYPE_CHECKING:
    from app.engine.commands import Result
    from app.engine.engine import Engine
    from app.engine.vocabulary import Refusal

PROG = "standby account"
SIGN_OUT_HELP = (
    "Forget the account on this device. Local only: the activation server has no sign-out, "
    "so it keeps this device linked to the account (and the account console lists it) until "
    "the device is freed there; this device shows no account, and takes none back from the "
    "server, until you sign in again."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Connect this device to your account, or sign out of it on this device.",
        epilog="Exit status: 0 done; 1 refused (stderr: error: <code>: <message>); 2 bad "
        "usage; 3 the activation server could not be reached (nothing changed).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="sign-in|sign-out")
    sign_in = actions.add_parser(
        "sign-in",
        help="connect this device to an account",
        description="Connect this device to the account EMAIL (what Sign in does in the "
        "window). The password is read from the first line of stdin, never from the command "
        "line.",
    )
    sign_in.add_argument("email", metavar="EMAIL", help="the account's e-mail address")
    sign_in.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from stdin (the only way to give it)",
    )
    sign_in.add_argument(
        "--name",
        metavar="NAME",
        help=f"call this device NAME (1 to {NAME_MOST} characters) before signing in: the "
        "name the account console shows (default: its current name, the computer's host "
        "name unless renamed)",
    )
    sign_out = actions.add_parser(
        "sign-out",
        help="forget the account on this device (local only)",
        description=SIGN_OUT_HELP,
    )
    for sub in (sign_in, sign_out):
        sub.add_argument("--server", metavar="URL", help="activation server (default: embedded)")
        sub.add_argument("--data-dir", metavar="DIR", help="where this device keeps its state")
    return parser


def main(argv: Sequence[str], default_data_dir: Path, leading: Sequence[str] = ()) -> int:
    args = cli.parse(argv, leading, build_parser)  # bad usage: argparse says so and exits 2
    if cli.bad_server(args, PROG):
        return 2
    request: dict[str, Any] = {"op": "account", "action": args.action}
    if args.action == "sign-in":
        if "@" not in args.email:
            print(f"{PROG}: {args.email!r} is not an e-mail address", file=sys.stderr)
            return 2
        name = None
        if args.name is not None:
            try:
                name = clean_name(args.name)
            except ValueError:
                print(f"{PROG}: --name must have 1 to {NAME_MOST} characters", file=sys.stderr)
                return 2
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print(f"{PROG}: no password on stdin", file=sys.stderr)
            return 2
        request.update(email=args.email.strip(), password=password, name=name)
    return cli.deliver(request, args, default_data_dir)


# --- carried out on an engine ------------------------------------------------------------------


def run(engine: Engine, request: dict[str, Any], done: Callable[[Result], None]) -> None:
    """One ``account`` request on a loaded ``engine``; ``done`` gets its result."""
    from app.engine.commands import USAGE, Result, once

    action = request.get("action")
    if action == "sign-in":
        name, email = request.get("name"), str(request.get("email", ""))
        if name is not None and not engine.rename_device(str(name)):
            done(Result(USAGE, err=f"{PROG}: --name must have 1 to {NAME_MOST} characters\n"))
            return
        once(engine.signInFinished, lambda refusal: done(_signed_in(engine, refusal)))
        engine.sign_in(email, str(request.get("password", "")))
    elif action == "sign-out":
        before = engine.snapshot.account_email
        if before is None:
            done(Result(0, out="Not signed in on this device\n"))
            return
        once(engine.signOutFinished, lambda refusal: done(_signed_out(before, refusal)))
        engine.sign_out()
    else:
        done(Result(USAGE, err=f"{PROG}: unknown action {action!r}\n"))


def _signed_in(engine: Engine, refusal: Refusal | None) -> Result:
    from app.engine.commands import DONE, Result

    if refusal is not None:
        return _refused(refusal)
    snap = engine.snapshot
    return Result(
        DONE,
        out=f"Signed in: this device ({snap.device_name}) is connected to the account "
        f"{snap.account_email}\n",
    )


def _signed_out(email: str, refusal: Refusal | None) -> Result:
    from app.engine.commands import DONE, Result

    if refusal is not None:
        return _refused(refusal)
    return Result(
        DONE,
        out=f"Signed out of {email} on this device (local only: the account console lists "
        "this device until it is freed there)\n",
    )


def _refused(refusal: Refusal) -> Result:
    from app.engine.commands import refused, unreachable_words

    if refusal.unreachable is not None:
        return refused("unreachable", unreachable_words(refusal.unreachable), unreachable=True)
    return refused(refusal.key or "refused", refusal.message)
