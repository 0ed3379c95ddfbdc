"""Small building blocks shared by the pages and dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.theme import set_property


def label(
    text: str = "", role: str | None = None, name: str | None = None, *, wrap: bool = False
) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def card(name: str | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("card", True)
    if name:
        frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    return frame, layout


def button(text: str, name: str, *, primary: bool = False) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    if primary:
        widget.setProperty("primary", True)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def set_tone(widget: QWidget, tone: str | None) -> None:
    set_property(widget, "tone", tone or "")


def show_text(widget: QLabel, text: str | None) -> None:
    """Set a label's text and hide it when there is none."""
    widget.setText(text or "")
    widget.setVisible(bool(text))


def dialog_layout(dialog: QWidget, width: int, spacing: int = 14) -> QVBoxLayout:
    """The column every dialog is built in: the house margins, at least ``width`` wide."""
    layout = QVBoxLayout(dialog)
    keep_width(layout, width)
    layout.setContentsMargins(28, 24, 28, 24)
    layout.setSpacing(spacing)
    return layout


def keep_width(layout: QBoxLayout, width: int) -> None:
    """A dialog at least ``width`` wide, set through its layout: a minimum size set on the
    window itself would stop Qt from keeping it tall enough for its content."""
    layout.addSpacerItem(QSpacerItem(width, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed))


def fit_height(window: QWidget, layout: QLayout) -> None:
    """Resize a dialog to the height its content needs at its width (after rows appear or
    go, or wrapped text grows): Qt does not do this for top-level windows by itself.

    Done once the event loop has run: widgets just added to a visible window are shown
    (and so counted by its layout) only then.
    """
    QTimer.singleShot(0, window, lambda: _fit_now(window, layout))


def _fit_now(window: QWidget, layout: QLayout) -> None:
    for child in window.findChildren(QWidget):
        child.ensurePolished()  # the stylesheet's padding counts only once polished
    layout.activate()
    width = max(window.width(), layout.minimumSize().width())
    height = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    window.resize(width, max(height, window.minimumHeight()))


def field_grid(title_width: int = 190) -> QGridLayout:
    """A 'title: value' grid whose value column starts at the same place in every card."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(8)
    grid.setColumnMinimumWidth(0, title_width)
    grid.setColumnStretch(1, 1)
    return grid
