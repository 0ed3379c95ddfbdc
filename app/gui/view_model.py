"""What views' models are made of: the tone a text is shown in and how a button is offered.

No widgets here: the view functions (``profile_view``, ``details_view``) return these, and
the widgets apply them.
"""

from __future__ import annotations

from enum import Enum, StrEnum

from app.domain.license import LicenseState
from app.gui import texts


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
    """The license state's colour (:func:`texts.state_tone`)."""
    return Tone(texts.state_tone(state))


def offered(shown: bool, enabled: bool = True) -> Offer:
    if not shown:
        return Offer.HIDDEN
    return Offer.SHOWN if enabled else Offer.DISABLED
