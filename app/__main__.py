"""``standby`` / ``python -m app``: the desktop app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="standby", description="Standby license client")
    parser.add_argument("--server", metavar="URL", help="activation server (default: embedded)")
    parser.add_argument("--data-dir", metavar="DIR", help="where this device keeps its state")
    parser.add_argument("--lang", choices=["en", "pl"], help="language of the window")
    parser.add_argument("--version", action="version", version=f"standby {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print(
        "standby: the desktop window is not part of this build yet; "
        "run the activation server with standby-server",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
