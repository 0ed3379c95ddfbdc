"""Words about the device's account that several views show: where an account's reserve
came from, and why it cannot take over (context ``AccountWords``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def reserve_from_account() -> str:
    """Said of a reserve saved once, in the account console, for all the account's devices."""
    return translate("AccountWords", "Saved for all your devices in your account on the web.")


def account_reserve_gone() -> str:
    """The account's reserve would need its code, which is kept in the account only."""
    return translate(
        "AccountWords",
        "This reserve code was saved in your account on the web, and the seat kept for this "
        "device is gone. Save the reserve code again in your account, or enter an activation "
        "code here.",
    )
