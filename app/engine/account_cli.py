"""``standby account sign-in|send-code|sign-out``: the device's account from a script or a
terminal.

They go where ``standby license`` commands go (:mod:`.cli`): to the Standby process that
owns the data directory, or to an engine run here just long enough. Exit statuses are the
license commands': 0 done; 1 refused (``error: <code>: <message>`` on stderr); 2 bad usage;
3 the activation server could not be reached (nothing changed).

While wrong passwords tried by others hold the account's e-mail back (``rate_limited``,
reason ``email_limited``), ``send-code`` has a one-time code mailed to the owner, and
``sign-in --code CODE`` signs in with it and the password.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.domain.names import NAME_MOST, clean_name
from app.engine import cli
from app.engine.results import ACCOUNT_PROG as PROG

SIGN_OUT_HELP = (
    "Forget the account on this device. Local only: the activation server has no sign-out, "
    "so it keeps this device linked to the account (and the account console lists it) until "
    "the device is freed there; this device shows no account, and takes none back from the "
    "server, until you sign in again."
)
SEND_CODE_HELP = (
    "Have the activation server e-mail a one-time sign-in code (6 digits, valid for 10 "
    "minutes) to the owner of the account EMAIL. Needed only while signing in from a new "
    "device is paused because others tried wrong passwords for the account; then sign in "
    "with: standby account sign-in EMAIL --password-stdin --code CODE."
)
#: What a one-time code looks like as typed: six digits, spaces allowed.
CODE_TYPED = re.compile(r"^[0-9 ]{6,12}$")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Connect this device to your account, or sign out of it on this device.",
        epilog="Exit status: 0 done; 1 refused (stderr: error: <code>: <message>); 2 bad "
        "usage; 3 the activation server could not be reached (nothing changed).",
    )
    actions = parser.add_subparsers(
        dest="action", required=True, metavar="sign-in|send-code|sign-out"
    )
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
    sign_in.add_argument(
        "--code",
        metavar="CODE",
        help="the one-time code from the e-mail send-code had sent: signs in while signing "
        "in from a new device is paused for the account",
    )
    send_code = actions.add_parser(
        "send-code",
        help="e-mail a one-time sign-in code to the account",
        description=SEND_CODE_HELP,
    )
    send_code.add_argument("email", metavar="EMAIL", help="the account's e-mail address")
    send_code.add_argument(
        "--lang",
        choices=["en", "pl"],
        help="the language of the e-mail (default: this computer's, else English)",
    )
    sign_out = actions.add_parser(
        "sign-out",
        help="forget the account on this device (local only)",
        description=SIGN_OUT_HELP,
    )
    for sub in (sign_in, send_code, sign_out):
        sub.add_argument("--server", metavar="URL", help="activation server (default: embedded)")
        sub.add_argument("--data-dir", metavar="DIR", help="where this device keeps its state")
    return parser


def main(argv: Sequence[str], default_data_dir: Path, leading: Sequence[str] = ()) -> int:
    args = cli.parse(argv, leading, build_parser)  # bad usage: argparse says so and exits 2
    if cli.bad_server(args, PROG):
        return 2
    request: dict[str, Any] = {"op": "account", "action": args.action}
    if args.action in ("sign-in", "send-code") and "@" not in args.email:
        print(f"{PROG}: {args.email!r} is not an e-mail address", file=sys.stderr)
        return 2
    if args.action == "send-code":
        language = args.lang or environment_language()
        request.update(email=args.email.strip(), language=language)
    elif args.action == "sign-in":
        name = None
        if args.name is not None:
            try:
                name = clean_name(args.name)
            except ValueError:
                print(f"{PROG}: --name must have 1 to {NAME_MOST} characters", file=sys.stderr)
                return 2
        code = args.code
        if code is not None and not _is_code(code):
            print(f"{PROG}: --code must be the 6 digits from the e-mail", file=sys.stderr)
            return 2
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            print(f"{PROG}: no password on stdin", file=sys.stderr)
            return 2
        request.update(email=args.email.strip(), password=password, name=name, code=code)
    return cli.deliver(request, args, default_data_dir)


def _is_code(text: str) -> bool:
    return bool(CODE_TYPED.match(text)) and len("".join(text.split())) == 6


def environment_language() -> str:
    """``pl`` when this computer's locale is Polish (``LC_ALL``, ``LC_MESSAGES``, ``LANG``),
    else ``en``: the language the mail is written in."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "pl" if value.lower().startswith("pl") else "en"
    return "en"
