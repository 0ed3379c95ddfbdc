"""Durations as people write them on the command line: an integer and s, m, h or d."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d{1,10})\s*([smhd])\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int:
    """Seconds in ``text`` such as ``365d`` or ``30s``; ValueError with a readable message."""
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(
            f"invalid duration {text!r}: use a whole number followed by s, m, h or d (e.g. 365d)"
        )
    seconds = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"invalid duration {text!r}: it must be longer than zero")
    return seconds


def format_duration(seconds: int) -> str:
    """The shortest exact spelling of ``seconds``: 31536000 -> ``365d``, 90 -> ``90s``."""
    for unit in ("d", "h", "m"):
        if seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"
