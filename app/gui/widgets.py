"""Small building blocks shared by the pages and dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

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
