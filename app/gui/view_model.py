"""What views' models are made of: the tone a text is shown in and how a button is offered.

No widgets here: the view functions (``profile_view``, ``details_view``) return these, and
the widgets apply them.
"""

from __future__ import annotations

from enum import Enum, StrEnum

from app.domain.license import LicenseState


class Tone(StrEnum):
    """A text's colour; its value is the ``tone`` property the stylesheet selects on."""

    OK = "ok"  # green
    WARN = "warn"  # amber
    BAD = "bad"  # red


class Offer(Enum):
    """How a button (or a menu's action) offers what it does."""

    HIDDEN = "hidden"  # not offered at all
    DISABLED = "disabled"  # shown, but not now (something else is running)
    SHOWN = "shown"
    MAIN = "main"  # shown as the main thing to do (a primary button)


def state_tone(state: LicenseState) -> Tone:
    """The license state's colour: green while it protects, amber when it ends soon, red."""
    if state in (LicenseState.ACTIVE, LicenseState.TRIAL):
        return Tone.OK
    if state is LicenseState.EXPIRING_SOON:
        return Tone.WARN
    return Tone.BAD


def offered(shown: bool, enabled: bool = True) -> Offer:
    if not shown:
        return Offer.HIDDEN
    return Offer.SHOWN if enabled else Offer.DISABLED
