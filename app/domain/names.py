"""A device's name: what its user calls it, shown in the account console."""

from __future__ import annotations

#: The longest device name (the server's column, and ``protocol.DeviceName``).
NAME_MOST = 100


def clean_name(name: str) -> str:
    """A device name as kept and sent: one line, spaces collapsed and trimmed; ValueError
    when it cannot be one (empty, longer than :data:`NAME_MOST`, or with characters that do
    not print)."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > NAME_MOST or not cleaned.isprintable():
        raise ValueError(f"a device name has 1 to {NAME_MOST} characters")
    return cleaned
