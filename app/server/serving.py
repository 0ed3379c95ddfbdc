"""``standby-server serve``: the options handed to uvicorn's workers, and uvicorn started."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from app.server.arguments import PROG
from app.server.db import parse_url
from app.server.settings import PREFIX, ServerSettings, current, read

# uvicorn is imported inside serve: the other standby-server commands (migrations, codes, keys) do
# not load it (bench/imports.py).


def serve(args: argparse.Namespace) -> None:
    """Run uvicorn with ``args`` (the database migrated already): the workers build the app
    themselves, so the settings reach them through the environment."""
    import uvicorn

    from app.server.api.connections import HeaderDeadlineProtocol

    settings = settings_of(args)
    for name in [name for name in os.environ if name.startswith(PREFIX)]:
        if name.removeprefix(PREFIX).lower() in ServerSettings.model_fields:
            del os.environ[name]  # read into the settings already, or overridden
    os.environ.update(settings.environment())
    current.cache_clear()  # read again, here too (one worker runs in this process)
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


def settings_of(args: argparse.Namespace) -> ServerSettings:
    """The settings ``serve``'s options give, over the environment's and the defaults."""
    given: dict[str, Any] = {
        "database_url": parse_url(args.db).render_as_string(hide_password=False),
        "audit_retention_seconds": args.audit_retention,
        "refusals_per_minute": args.refusals_per_minute,
        "header_seconds": args.header_timeout,
        "body_seconds": args.body_timeout,
        "trusted_proxies": tuple(args.trusted_proxy) or None,
        "server_docs": args.docs or None,
        "no_console": args.no_console or None,
    }
    # --smtp, --mail-from and --public-url default to their variables already (cli.py);
    # without a mail server there is no mail, and no address for its links.
    given |= {"smtp_url": args.smtp, "mail_from": args.mail_from, "public_url": None}
    if args.smtp:
        host = f"[{args.host}]" if ":" in args.host else args.host
        given["public_url"] = args.public_url or f"http://{host}:{args.port}"
        if not args.public_url and args.host in ("0.0.0.0", "::"):  # noqa: S104 (a comparison)
            print(
                f"{PROG}: warning: the reset links will point at {host}, which no browser can "
                "reach; give --public-url",
                file=sys.stderr,
            )
    return read(**{name: value for name, value in given.items() if value is not None})
