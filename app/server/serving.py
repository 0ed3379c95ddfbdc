"""``standby-server serve``: the options handed to uvicorn's workers, and uvicorn started."""

from __future__ import annotations

import argparse
import os
import sys

from app.server import mail
from app.server.arguments import PROG
from app.server.db import DATABASE_URL_ENV, parse_url
from app.server.services.audit import RETENTION_ENV
from app.server.services.recovery import PUBLIC_URL_ENV


def serve(args: argparse.Namespace) -> None:
    """Run uvicorn with ``args`` (the database migrated already): the workers build the app
    themselves, so every option reaches them through the environment."""
    import uvicorn

    from app.server.api.connections import HeaderDeadlineProtocol

    url = parse_url(args.db)
    os.environ[DATABASE_URL_ENV] = url.render_as_string(hide_password=False)
    if args.docs:
        from app.server.api.app import DOCS_ENV

        os.environ[DOCS_ENV] = "1"  # for the workers, which build the app themselves
    if args.no_console:
        from app.server.api.app import NO_CONSOLE_ENV

        os.environ[NO_CONSOLE_ENV] = "1"
    os.environ[RETENTION_ENV] = str(args.audit_retention)
    if args.refusals_per_minute is not None:
        from app.server.api.limits import REFUSALS_ENV

        os.environ[REFUSALS_ENV] = str(args.refusals_per_minute)
    if args.header_timeout is not None:
        from app.server.api.connections import HEADER_SECONDS_ENV

        os.environ[HEADER_SECONDS_ENV] = str(args.header_timeout)
    if args.trusted_proxy:
        from app.server.api.forwarded import TRUSTED_PROXIES_ENV

        os.environ[TRUSTED_PROXIES_ENV] = ",".join(args.trusted_proxy)
    if args.body_timeout is not None:
        from app.server.api.app import BODY_SECONDS_ENV

        os.environ[BODY_SECONDS_ENV] = str(args.body_timeout)
    _mail_options(args)
    uvicorn.run(
        "app.server.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        # The limits are per client address: behind a reverse proxy, the client's is the one
        # the proxy names, believed only from the proxies the operator lists, and only when
        # it is an address (app.server.api.forwarded, not uvicorn's own reading).
        proxy_headers=False,
        limit_concurrency=args.max_connections,
        http=HeaderDeadlineProtocol,
    )


def _mail_options(args: argparse.Namespace) -> None:
    """``--smtp``, ``--mail-from`` and ``--public-url`` (or their variables), for the
    workers; without a mail server none is set."""
    for name in (mail.SMTP_URL_ENV, mail.MAIL_FROM_ENV, PUBLIC_URL_ENV):
        os.environ.pop(name, None)
    if not args.smtp:
        return
    os.environ[mail.SMTP_URL_ENV] = args.smtp
    if args.mail_from:
        os.environ[mail.MAIL_FROM_ENV] = args.mail_from
    host = f"[{args.host}]" if ":" in args.host else args.host
    os.environ[PUBLIC_URL_ENV] = args.public_url or f"http://{host}:{args.port}"
    if not args.public_url and args.host in ("0.0.0.0", "::"):  # noqa: S104 (a comparison)
        print(
            f"{PROG}: warning: the reset links will point at {host}, which no browser can "
            "reach; give --public-url",
            file=sys.stderr,
        )
