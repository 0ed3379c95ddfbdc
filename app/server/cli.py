"""``standby-server``: run the activation server and manage codes and accounts.

Every command migrates the database first, so a fresh URL just works. Errors are one line on
stderr and a non-zero exit: 2 for bad arguments, 1 for a refusal such as an unknown code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import DatabaseError

from app import __version__
from app.domain import codes
from app.domain.durations import parse_duration
from app.domain.errors import DomainError
from app.domain.license import MAX_DEVICES, LicenseType
from app.server import arguments, mail
from app.server.arguments import MAX_COUNT, PROG, OneLineParser
from app.server.db import (
    DATABASE_URL_ENV,
    DatabaseUrlError,
    make_engine,
    migrate,
    parse_url,
)
from app.server.secrets import rotate_signing_key
from app.server.services import Services
from app.server.services.audit import DEFAULT_RETENTION
from app.server.services.recovery import PUBLIC_URL_ENV, parse_public_url
from app.server.serving import serve
from app.server.vault import SECRET_FILE_ENV, VaultError


class CliError(Exception):
    """A one-line error for the operator; ``status`` is the exit code."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _mail_arguments(serve: argparse.ArgumentParser) -> None:
    """``serve``'s options for the mail it sends (account recovery, app.server.mail)."""
    serve.add_argument(
        "--smtp",
        type=mail.smtp_url,
        default=os.environ.get(mail.SMTP_URL_ENV),
        metavar="URL",
        help="mail one-time sign-in codes and password-reset links through this server: "
        "smtp://[user:password@]host[:port] (STARTTLS when offered; ?starttls=1 requires it, "
        "?starttls=0 never asks) or smtps://... (TLS throughout, port 465); default "
        f"${mail.SMTP_URL_ENV} (a password there stays out of the process list), else no "
        "mail and no recovery by e-mail",
    )
    serve.add_argument(
        "--mail-from",
        type=mail.mail_address,
        default=os.environ.get(mail.MAIL_FROM_ENV),
        metavar="ADDRESS",
        help=f"the sender of those mails (default ${mail.MAIL_FROM_ENV}, else "
        "standby@<this host's name>)",
    )
    serve.add_argument(
        "--public-url",
        type=parse_public_url,
        default=os.environ.get(PUBLIC_URL_ENV),
        metavar="URL",
        help="the server's address as users' browsers reach it, for the links it mails "
        f"(default ${PUBLIC_URL_ENV}, else http://HOST:PORT)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description="Standby activation server")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _serve_command(commands)
    _codes_commands(commands)
    _other_commands(commands)
    return parser


def with_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``sub`` with the options every command that opens the database takes."""
    sub.add_argument(
        "--db",
        metavar="URL",
        default=os.environ.get(DATABASE_URL_ENV),
        help=f"SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://...); "
        f"default ${DATABASE_URL_ENV}",
    )
    sub.add_argument(
        "--secret-file",
        metavar="PATH",
        help=f"the key that seals the server's keys in the database, created if missing; "
        f"default ${SECRET_FILE_ENV}, else beside an SQLite file or "
        "~/.config/standby/server.secret",
    )
    return sub


def _serve_command(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    serve = with_db(commands.add_parser("serve", help="run the HTTP API"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=arguments.port, default=8765)
    serve.add_argument("--workers", type=arguments.positive, default=1)
    serve.add_argument(
        "--docs",
        action="store_true",
        help="also serve the interactive API documentation at /docs and /redoc",
    )
    serve.add_argument(
        "--no-console",
        action="store_true",
        help="do not serve the account console (the web pages at /account/)",
    )
    serve.add_argument(
        "--audit-retention",
        type=arguments.retention,
        default=parse_duration(DEFAULT_RETENTION),
        metavar="DURATION",
        help=f"delete audit rows older than this, hourly (default {DEFAULT_RETENTION})",
    )
    serve.add_argument(
        "--refusals-per-minute",
        type=arguments.positive,
        default=None,
        metavar="N",
        help="refused requests an address may make per minute before it must wait (default 120)",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        type=arguments.proxy,
        metavar="ADDRESS",
        help="a reverse proxy in front (an address or a network) whose X-Forwarded-For names "
        "the client (repeatable)",
    )
    serve.add_argument(
        "--max-connections",
        type=arguments.positive,
        default=1000,
        metavar="N",
        help="open connections per worker; beyond them requests get 503 (default 1000)",
    )
    serve.add_argument(
        "--header-timeout",
        type=arguments.positive,
        default=None,
        metavar="SECONDS",
        help="how long a request's headers may take to arrive before the connection is "
        "closed (default 10)",
    )
    serve.add_argument(
        "--body-timeout",
        type=arguments.positive,
        default=None,
        metavar="SECONDS",
        help="how long a request body may take to arrive before a 408 (default 10)",
    )

    _mail_arguments(serve)


def _codes_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    code_parser = commands.add_parser("codes", help="issue, block and show activation codes")
    code_commands = code_parser.add_subparsers(
        dest="codes_command", required=True, metavar="ACTION"
    )
    issue = with_db(
        code_commands.add_parser(
            "issue",
            help="issue new codes, one per line",
            description="Issue new activation codes and print them, one per line.",
        )
    )
    issue.add_argument(
        "--type",
        choices=[t.value for t in LicenseType],
        default="commercial",
        help="the license type (default commercial)",
    )
    issue.add_argument(
        "--term",
        type=arguments.term,
        default=parse_duration(arguments.DEFAULT_TERM),
        metavar="DURATION",
        help="how long a license lasts from the code's first activation: a whole number with "
        f"s, m, h or d (default {arguments.DEFAULT_TERM})",
    )
    issue.add_argument(
        "--devices",
        type=arguments.devices,
        default=1,
        help=f"how many devices may use the code, at most {MAX_DEVICES} (default 1)",
    )
    issue.add_argument(
        "--valid-until",
        type=arguments.future,
        metavar="ISO-8601",
        help="the last moment the code can be activated, UTC when no offset is given "
        f"(default {arguments.VALID_UNTIL_RULE})",
    )
    issue.add_argument(
        "--app-versions",
        type=arguments.versions,
        default="",
        metavar="SPEC",
        help="the app versions the code fits, e.g. '>=1.0,<3' (default every version)",
    )
    issue.add_argument(
        "--requires-account",
        action="store_true",
        help="activating needs the device connected to an account (default not needed)",
    )
    issue.add_argument(
        "--count",
        type=arguments.count,
        default=1,
        help=f"how many codes to issue, at most {MAX_COUNT} (default 1)",
    )
    block = with_db(code_commands.add_parser("block", help="block a code"))
    block.add_argument("code", type=arguments.code, metavar="CODE")
    show = with_db(code_commands.add_parser("show", help="print a code's facts as JSON"))
    show.add_argument("code", type=arguments.code, metavar="CODE")


def _other_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    """``keys``, ``audit`` and ``accounts``."""
    key_parser = commands.add_parser("keys", help="manage signing keys")
    key_commands = key_parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    with_db(key_commands.add_parser("rotate", help="sign with a new key from now on"))

    audit_parser = commands.add_parser("audit", help="look after the audit log")
    audit_commands = audit_parser.add_subparsers(
        dest="audit_command", required=True, metavar="ACTION"
    )
    prune = with_db(audit_commands.add_parser("prune", help="delete old audit rows"))
    prune.add_argument(
        "--older-than",
        type=arguments.retention,
        required=True,
        metavar="DURATION",
        help="e.g. 180d",
    )

    account_parser = commands.add_parser("accounts", help="manage accounts")
    account_commands = account_parser.add_subparsers(
        dest="accounts_command", required=True, metavar="ACTION"
    )
    create = with_db(account_commands.add_parser("create", help="create an account"))
    create.add_argument("email")
    create.add_argument(
        "--password-stdin", action="store_true", required=True, help="read the password from stdin"
    )
    password = with_db(
        account_commands.add_parser(
            "password", help="set a new password (signs every browser of the account out)"
        )
    )
    password.add_argument("email")
    password.add_argument(
        "--password-stdin", action="store_true", required=True, help="read the password from stdin"
    )


def _services(args: argparse.Namespace) -> Services:
    if args.secret_file:  # for this process and the workers it starts
        os.environ[SECRET_FILE_ENV] = str(Path(args.secret_file).expanduser().resolve())
    engine = make_engine(parse_url(args.db))
    migrate(engine)
    return Services(engine)


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        _services(args).close()  # migrate and create the keys once, before any worker starts
        serve(args)
        return 0
    services = _services(args)
    if args.command == "codes" and args.codes_command == "issue":
        issued = services.operator.issue_codes(
            license_type=LicenseType(args.type),
            term_seconds=args.term,
            max_devices=args.devices,
            valid_until=args.valid_until or arguments.default_valid_until(args.term),
            app_versions=args.app_versions,
            requires_account=args.requires_account,
            count=args.count,
        )
        print("\n".join(issued))
    elif args.command == "codes" and args.codes_command == "block":
        if services.operator.block_code(args.code):
            print(f"code {codes.mask(args.code)} blocked")
        else:
            print(f"{codes.mask(args.code)} was blocked already", file=sys.stderr)
    elif args.command == "codes" and args.codes_command == "show":
        print(json.dumps(services.operator.code_info(args.code), indent=2))
    elif args.command == "audit":
        deleted = services.audit.prune(timedelta(seconds=args.older_than))
        print(f"{deleted} audit rows deleted")
    elif args.command == "keys":
        print(rotate_signing_key(services.factory, services.vault))
    elif args.command == "accounts":
        password = sys.stdin.readline().rstrip("\r\n")
        if args.accounts_command == "password":
            print(f"password of {services.accounts.set_password(args.email, password)} set")
        else:
            print(f"account {services.accounts.create(args.email, password)} created")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except DatabaseUrlError as exc:
        parser.exit(2, f"{PROG}: error: {exc}\n")
    except DatabaseError as exc:  # unreachable, or not a database at all
        reason = str(exc.orig or exc).strip().splitlines()[0]
        print(f"{PROG}: error: cannot use the database: {reason}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"{PROG}: error: {exc.message}", file=sys.stderr)
        return 1
    except VaultError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except (ValueError, CliError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return getattr(exc, "status", 1)
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("psycopg"):
            raise
        print(
            f"{PROG}: error: this copy of {PROG} has no PostgreSQL driver, which is not part "
            "of the desktop app (its own server uses SQLite): install Standby with the server "
            "extra, e.g. pip install 'standby[server]' (or '.[server]' from a clone)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
