"""The account console's pages, opened in the desktop's browser from the app, and their
address to copy when no browser could be started (Help → Your account on the web, the
sign-in dialog's Forgot password?)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from app.gui.opener import Failed

# The address dialog is imported when it is first shown (bench/imports.py).

#: How a web page is opened: :func:`app.gui.opener.open_url`, or a test's stand-in.
OpenUrl = Callable[[str, QObject, Failed], object]

#: The console's pages, under the activation server's address.
ACCOUNT_PAGE = "/account/"
FORGOT_PAGE = "/account/forgot"


def page_url(server_url: str, page: str) -> str:
    """``page`` (e.g. :data:`FORGOT_PAGE`) of the console on the server at ``server_url``."""
    return f"{server_url.rstrip('/')}{page}"


def open_page(
    url: str,
    parent: QWidget,
    open_url: OpenUrl,
    show_address: Callable[[str], object] | None = None,
) -> None:
    """Show the web page at ``url`` in the desktop's browser; when none could be started,
    its address to copy (``show_address``, by default a dialog over ``parent``)."""
    fallback = show_address or (lambda address: show_page_address(address, parent))
    open_url(url, parent, lambda _why: fallback(url))


def show_page_address(url: str, parent: QWidget) -> QDialog:
    """The dialog that gives ``url`` to copy, over ``parent``; deleted once closed."""
    from app.gui.log_dialog import AccountPageDialog

    dialog = AccountPageDialog(url, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
