"""Activation code format: 20 Crockford base32 symbols, the last one a check symbol.

Codes are written ``XXXXX-XXXXX-XXXXX-XXXXX``. People type them in every way imaginable,
so input is normalised first: case, spaces, dashes and invisible characters (Unicode's
format characters, such as a zero-width space) do not matter, and the look-alikes
``O``, ``I`` and ``L`` are read as ``0``, ``1`` and ``1``. The check symbol (Luhn mod 32)
catches every single mistyped symbol and most swapped neighbours before any network call.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20
GROUP_LENGTH = 5
SUFFIX_LENGTH = 5
MASK_SYMBOL = "•"

_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_‐-―−]+")


class InvalidCodeFormat(ValueError):
    """Raised when text cannot be an activation code; the message says why, for people."""


def check_symbol(payload: str) -> str:
    """The Luhn mod 32 check symbol for ``payload`` (symbols of ALPHABET)."""
    base = len(ALPHABET)
    factor = 2
    total = 0
    for symbol in reversed(payload):
        addend = factor * _VALUE[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def strip_separators(text: str) -> str:
    """Upper-case ``text`` without spaces, dashes or invisible characters (a zero-width
    space, a byte order mark, a soft hyphen… that came along with a pasted code), with
    look-alike letters replaced."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _SEPARATORS.sub("", visible).upper().translate(_LOOK_ALIKES)


def normalize(text: str) -> str:
    """Return the 20 symbols of the code in ``text``, or raise InvalidCodeFormat."""
    symbols = strip_separators(text)
    bad = sorted({s for s in symbols if s not in _VALUE})
    if bad:
        raise InvalidCodeFormat(
            f"An activation code has only letters and digits; {''.join(bad)!r} "
            "cannot be part of one."
        )
    if len(symbols) != CODE_LENGTH:
        raise InvalidCodeFormat(
            f"An activation code has {CODE_LENGTH} letters and digits; this has {len(symbols)}."
        )
    if check_symbol(symbols[:-1]) != symbols[-1]:
        raise InvalidCodeFormat(
            "This is not a valid activation code. Check it for typing mistakes."
        )
    return symbols


def is_valid(text: str) -> bool:
    try:
        normalize(text)
    except InvalidCodeFormat:
        return False
    return True


def group(symbols: str) -> str:
    """Join already normalised symbols in groups of five: ``ABCDE-FGHJK-...``."""
    return "-".join(symbols[i : i + GROUP_LENGTH] for i in range(0, len(symbols), GROUP_LENGTH))


def format_code(text: str) -> str:
    """Normalise and group a code: the one way codes are shown and printed."""
    return group(normalize(text))


def suffix(text: str) -> str:
    """The last five symbols, the only part of a code kept in plain text anywhere."""
    return normalize(text)[-SUFFIX_LENGTH:]


def mask_suffix(last_five: str) -> str:
    """A masked code from its last five symbols, e.g. ``•••••-•••••-•••••-7QX4A``."""
    hidden = MASK_SYMBOL * GROUP_LENGTH
    return "-".join([hidden] * (CODE_LENGTH // GROUP_LENGTH - 1) + [last_five])


def mask(text: str) -> str:
    return mask_suffix(suffix(text))


def generate() -> str:
    """A fresh random code (19 random symbols, about 95 bits, and a check symbol), grouped."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH - 1))
    return group(payload + check_symbol(payload))
