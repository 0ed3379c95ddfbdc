"""The command line's arguments: their types, the defaults that depend on others, and a parser
whose errors are one line (``standby-server: error: ...; see ... --help``, exit status 2)."""

from __future__ import annotations

import argparse
import ipaddress
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from app.domain import codes
from app.domain.durations import parse_duration
from app.domain.license import MAX_DEVICES, MAX_TERM, MAX_VERSION_SPEC, parse_version_spec

PROG = "standby-server"
MAX_COUNT = 100_000
DEFAULT_TERM = "365d"
# A code issued with the default valid-until can be activated for a year beyond its own term:
# saved today as the reserve of a license of the same term activated today, it can still take
# over when that license ends (domain.md §3, ``valid_until_before_takeover``).
RESERVE_SLACK = timedelta(days=365)
VALID_UNTIL_RULE = (
    f"now + the term + {RESERVE_SLACK.days}d, at most now + {MAX_TERM.days}d: a code issued "
    "today can still become the reserve of a license of the same term activated today"
)


class OneLineParser(argparse.ArgumentParser):
    """Says what is wrong in one line on stderr, and where the usage is, then exits 2."""

    def error(self, message: str) -> NoReturn:
        said = " ".join(message.splitlines()).rstrip(".")
        self.exit(2, f"{PROG}: error: {said}; see {self.prog} --help\n")


def default_valid_until(term_seconds: int, now: datetime | None = None) -> datetime:
    """``codes issue``'s valid-until when none is given: see ``VALID_UNTIL_RULE``."""
    now = now or datetime.now(UTC)
    return now + min(timedelta(seconds=term_seconds) + RESERVE_SLACK, MAX_TERM)


def term(text: str) -> int:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if seconds > MAX_TERM.total_seconds():
        raise argparse.ArgumentTypeError(f"a term is at most {MAX_TERM.days}d")
    return seconds


def moment(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: use ISO 8601, e.g. 2027-12-31 or 2027-12-31T23:59:59+01:00"
        ) from None
    try:
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError:
        raise argparse.ArgumentTypeError(f"date {text!r} is out of range") from None


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid number {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} must be at least {minimum}")
        return value

    return parse


positive = at_least(1)


def devices(text: str) -> int:
    value = positive(text)
    if value > MAX_DEVICES:
        raise argparse.ArgumentTypeError(f"a code covers at most {MAX_DEVICES} devices")
    return value


def future(text: str) -> datetime:
    value = moment(text)
    if value <= datetime.now(UTC):
        raise argparse.ArgumentTypeError(
            f"{text} has passed: a code valid until then could never be used"
        )
    return value


def count(text: str) -> int:
    value = positive(text)
    if value > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"at most {MAX_COUNT} codes at a time")
    return value


def retention(text: str) -> int:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if seconds < 3600:
        raise argparse.ArgumentTypeError(
            "keep at least an hour: the sign-in limits count the last ten minutes"
        )
    return seconds


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is out of range 0-65535")
    return value


def versions(text: str) -> str:
    if len(text) > MAX_VERSION_SPEC:
        raise argparse.ArgumentTypeError(
            f"the specifier is {len(text)} characters long; at most {MAX_VERSION_SPEC}"
        )
    try:
        parse_version_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def code(text: str) -> str:
    try:
        return codes.format_code(text)
    except codes.InvalidCodeFormat as exc:
        raise argparse.ArgumentTypeError(f"invalid code: {exc}") from None


def proxy(text: str) -> str:
    """A trusted proxy: an address or a network (``10.0.0.0/8``)."""
    try:
        return str(ipaddress.ip_network(text.strip(), strict=False))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid proxy {text!r}: give an address or a network, e.g. 127.0.0.1 or 10.0.0.0/8"
        ) from None
