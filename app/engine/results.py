"""What a ``standby license`` or ``standby account`` command answers: an exit status with
the text for stdout and stderr (contract.md), and how a refusal or failure reads there.

Light on purpose: a second launch that hands its command to the running Standby reads these
without loading Qt or the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.failures import Failure, Unreachable

DONE, REFUSED, USAGE, UNREACHABLE = 0, 1, 2, 3
ACCOUNT_PROG = "standby account"


@dataclass(frozen=True)
class Result:
    status: int
    out: str = ""
    err: str = ""

    def as_message(self) -> dict[str, Any]:
        return {"status": self.status, "out": self.out, "err": self.err}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Result:
        return cls(
            int(message.get("status", REFUSED)),
            str(message.get("out", "")),
            str(message.get("err", "")),
        )


def once(signal: Any, handle: Callable[[Any], None]) -> None:
    """``handle`` the next emission of ``signal`` only."""

    def slot(value: Any) -> None:
        signal.disconnect(slot)
        handle(value)

    signal.connect(slot)


def refused(error: str, message: str, *, unreachable: bool = False) -> Result:
    status = UNREACHABLE if unreachable else USAGE if error == "invalid_format" else REFUSED
    return Result(status, err=f"error: {error}: {message}\n")


def unreachable_words(kind: Unreachable) -> str:
    return f"the activation server could not be reached ({kind.value}); nothing changed"


def failed(failure: Failure) -> Result:
    """A command refused or failed: the server's error code where it gave one."""
    if failure.unreachable is not None:
        return refused("unreachable", unreachable_words(failure.unreachable), unreachable=True)
    word = failure.error.value if failure.error else failure.key
    return refused(word, failure.message or word)
