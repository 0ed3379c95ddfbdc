"""Dialogs on a small screen: each fits the screen's available area and scrolls inside."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QScrollArea, QWidget

from app.domain import codes
from tests.gui.conftest import MakeWindow
from tests.gui.driver import WAIT_MS

YEAR = 365 * 86400


def _fits_screen(dialog: QWidget) -> bool:
    screen = dialog.screen()
    assert screen is not None
    return screen.availableGeometry().contains(dialog.frameGeometry())


def _shown_in(widget: QWidget, dialog: QDialog) -> bool:
    """``widget`` lies inside the part of ``dialog`` that is on screen."""
    top_left = widget.mapTo(dialog, QPoint(0, 0))
    return dialog.rect().contains(top_left) and dialog.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )


def test_license_details_with_a_reserve_fit_the_screen_and_scroll(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    ui.license_and_reserve(YEAR)
    details = ui.open_details()
    scroll = ui.find(QScrollArea, "dialogScroll", details)
    content = scroll.widget()
    assert content is not None
    # Taller than the screen (800 px offscreen): the content needs more than it gets.
    ui.qtbot.waitUntil(
        lambda: _fits_screen(details) and scroll.verticalScrollBar().isVisible(),
        timeout=WAIT_MS,
    )
    assert content.height() > scroll.viewport().height()
    # Close stays in view below the scrolling part, and the reserve's buttons scroll into it.
    close = ui.find(QPushButton, "detailsCloseButton", details)
    assert _shown_in(close, details)
    remove = ui.find(QPushButton, "removeReserveButton", details)
    scroll.ensureWidgetVisible(remove)
    top = remove.mapTo(scroll.viewport(), QPoint(0, 0)).y()
    assert 0 <= top <= scroll.viewport().height() - remove.height()


def test_a_short_dialog_needs_no_scrolling(make_window: MakeWindow) -> None:
    ui = make_window()
    dialog = ui.open_code_dialog()
    scroll = ui.find(QScrollArea, "dialogScroll", dialog)
    save = ui.find(QPushButton, "saveActivationCodeButton", dialog)
    ui.qtbot.waitUntil(lambda: _fits_screen(dialog), timeout=WAIT_MS)
    assert not scroll.verticalScrollBar().isVisible()
    assert _shown_in(save, dialog)


def test_the_24_hour_note_shows_only_where_a_purchase_may_not_show_yet(
    make_window: MakeWindow,
) -> None:
    ui = make_window()
    details = ui.open_details()
    note = ui.find(QLabel, "detailsPurchaseNote", details)
    assert note.isVisible()  # no license yet: a code bought today may not be known yet
    details.close()
    ui.activate(ui.issue(YEAR))
    details = ui.open_details()
    assert not note.isVisible()  # activated and confirmed by the server just now


def test_copying_a_demo_code_moves_nothing_and_needs_no_scroll_bar(
    make_window: MakeWindow,
) -> None:
    ui = make_window(embedded=True, language="pl")
    dialog = ui.window.open_demo_codes()
    ui.qtbot.waitUntil(lambda: "short" in dialog.codes, timeout=WAIT_MS)  # type: ignore[attr-defined]
    scroll = ui.find(QScrollArea, "dialogScroll", dialog)
    copy = ui.find(QPushButton, "demoCopy_short", dialog)
    ui.qtbot.waitUntil(lambda: _fits_screen(dialog) and copy.isVisible(), timeout=WAIT_MS)
    size, width = dialog.size(), copy.width()
    ui.click("demoCopy_short", dialog)
    assert copy.text() == "Skopiowano"
    ui.qtbot.wait_until(lambda: copy.width() == width and dialog.size() == size)
    for _ in range(3):  # the layout requests the click posted, and those they post
        QApplication.sendPostedEvents()
    assert not scroll.verticalScrollBar().isVisible()
    assert not scroll.horizontalScrollBar().isVisible()
    # "3‑minutowy" keeps its hyphen unbreakable; the demo password has no look-alikes.
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("kod 3\u2011minutowy" in text for text in texts)
    password = dialog.codes["password"]  # type: ignore[attr-defined]
    assert set(password) <= set(codes.ALPHABET)
