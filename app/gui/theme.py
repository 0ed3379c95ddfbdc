"""A calm light or dark theme that follows the system, with the three state colours."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget


@dataclass(frozen=True)
class Colors:
    dark: bool
    window: str
    nav: str
    card: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    ok: str
    warn: str
    bad: str
    ok_soft: str
    warn_soft: str
    bad_soft: str
    selection: str

    def tone(self, tone: str) -> str:
        return {"ok": self.ok, "warn": self.warn, "bad": self.bad}.get(tone, self.muted)


LIGHT = Colors(
    dark=False,
    window="#f5f7fa",
    nav="#e9eef3",
    card="#ffffff",
    border="#dbe2ea",
    text="#1d2733",
    muted="#5b6776",
    accent="#0f766e",
    accent_text="#ffffff",
    ok="#15803d",
    warn="#b45309",
    bad="#c62828",
    ok_soft="#e7f6ec",
    warn_soft="#fdf3e2",
    bad_soft="#fdeaea",
    selection="#d5ece9",
)
DARK = Colors(
    dark=True,
    window="#12161c",
    nav="#181e26",
    card="#1e252e",
    border="#2e3843",
    text="#e6ebf1",
    muted="#9ba8b7",
    accent="#2bb5a5",
    accent_text="#0b1a19",
    ok="#4ccb75",
    warn="#e0a43c",
    bad="#f2685f",
    ok_soft="#18301f",
    warn_soft="#3a2d14",
    bad_soft="#3d1c1c",
    selection="#1f3b39",
)


def system_is_dark() -> bool:
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Unknown:
        return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return scheme == Qt.ColorScheme.Dark


def current() -> Colors:
    """The system's choice, unless STANDBY_THEME says light or dark."""
    forced = os.environ.get("STANDBY_THEME", "").lower()
    if forced in ("light", "dark"):
        return DARK if forced == "dark" else LIGHT
    return DARK if system_is_dark() else LIGHT


def _palette(c: Colors) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.card,
        QPalette.ColorRole.AlternateBase: c.nav,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.card,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.ToolTipBase: c.card,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Link: c.accent,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    return palette


def stylesheet(c: Colors) -> str:
    return f"""
QWidget {{ font-size: 10.5pt; }}
QMainWindow, QDialog {{ background: {c.window}; }}
#navColumn {{ background: {c.nav}; border-right: 1px solid {c.border}; }}
#brandLabel {{ font-size: 15pt; font-weight: 600; color: {c.text}; padding: 4px 8px 16px 8px; }}
QPushButton[nav="true"] {{
    text-align: left; padding: 8px 12px; border: 2px solid transparent; border-radius: 8px;
    background: transparent; color: {c.text};
}}
QPushButton[nav="true"]:hover {{ background: {c.selection}; }}
QPushButton[nav="true"][current="true"] {{
    background: {c.card}; color: {c.accent}; font-weight: 600;
}}
QPushButton[nav="true"]:disabled {{ color: {c.muted}; }}
QPushButton[nav="true"]:focus {{ outline: none; border-color: {c.accent}; }}
QLabel[role="title"] {{ font-size: 18pt; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: 12.5pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {c.muted}; }}
QLabel[role="field"] {{ color: {c.muted}; }}
QLabel[role="status"] {{ font-size: 13pt; font-weight: 600; }}
QLabel[tone="ok"] {{ color: {c.ok}; }}
QLabel[tone="warn"] {{ color: {c.warn}; }}
QLabel[tone="bad"] {{ color: {c.bad}; }}
QFrame[card="true"] {{ background: {c.card}; border: 1px solid {c.border}; border-radius: 12px; }}
QFrame[card="true"] QLabel {{ background: transparent; }}
QFrame#notificationBanner {{ border-radius: 10px; border: 1px solid {c.border}; }}
QFrame#notificationBanner[tone="ok"] {{ background: {c.ok_soft}; border-color: {c.ok}; }}
QFrame#notificationBanner[tone="warn"] {{ background: {c.warn_soft}; border-color: {c.warn}; }}
QFrame#notificationBanner[tone="bad"] {{ background: {c.bad_soft}; border-color: {c.bad}; }}
/* A focus ring is a thicker border: the padding gives the pixel back, so nothing moves. */
QPushButton {{
    padding: 7px 16px; border-radius: 8px; border: 1px solid {c.border};
    background: {c.card}; color: {c.text};
}}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:focus {{ border: 2px solid {c.accent}; padding: 6px 15px; }}
QPushButton:disabled {{ color: {c.muted}; background: {c.nav}; }}
QPushButton[primary="true"] {{
    background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent}; font-weight: 600;
}}
QPushButton[primary="true"]:disabled {{
    background: {c.border}; color: {c.muted}; border-color: {c.border};
}}
QPushButton[primary="true"]:focus {{ border: 2px solid {c.text}; padding: 6px 15px; }}
QToolButton {{
    border: 1px solid transparent; border-radius: 8px; padding: 4px; background: transparent;
}}
QToolButton:hover {{ background: {c.selection}; }}
QToolButton:focus {{ border: 2px solid {c.accent}; padding: 3px; }}
QToolButton::menu-indicator {{ image: none; width: 0; }}
QLineEdit {{
    padding: 8px 10px; border: 1px solid {c.border}; border-radius: 8px; background: {c.card};
    color: {c.text}; selection-background-color: {c.accent};
}}
QLineEdit:focus {{ border: 2px solid {c.accent}; padding: 7px 9px; }}
QLineEdit[tone="bad"] {{ border: 2px solid {c.bad}; padding: 7px 9px; }}
QMenu {{ background: {c.card}; border: 1px solid {c.border}; border-radius: 8px; padding: 6px; }}
QMenu::item {{ padding: 8px 22px 8px 12px; border-radius: 6px; color: {c.text}; }}
QMenu::item:selected {{ background: {c.selection}; }}
QMenu::item:disabled {{ color: {c.muted}; }}
QMenu::separator {{ height: 1px; background: {c.border}; margin: 4px 8px; }}
QProgressBar {{ border: none; background: {c.border}; border-radius: 3px; max-height: 6px; }}
QProgressBar::chunk {{ background: {c.accent}; border-radius: 3px; }}
QPushButton[destructive="true"] {{ color: {c.bad}; border-color: {c.bad}; font-weight: 600; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QMessageBox QLabel#qt_msgbox_informativelabel {{ min-width: 380px; }}
QMessageBox QLabel#qt_msgbox_label {{ font-weight: 600; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {c.border}; border-radius: 4px; min-height: 32px; }}
QScrollBar::handle:vertical:hover {{ background: {c.muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QToolTip {{ background: {c.card}; color: {c.text}; border: 1px solid {c.border}; padding: 4px; }}
"""


def apply(app: QApplication) -> Colors:
    colors = current()
    current_style = app.style()
    if (current_style is None or current_style.name().lower() != "fusion") and (
        "Fusion" in QStyleFactory.keys()  # noqa: SIM118 (a list, not a dict)
    ):
        app.setStyle("Fusion")
    app.setPalette(_palette(colors))
    app.setStyleSheet(stylesheet(colors))
    return colors


def set_property(widget: QWidget, name: str, value: object) -> None:
    """Set a property the stylesheet selects on, and restyle the widget."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def follow_system(slot: Callable[[Qt.ColorScheme], None]) -> None:
    """Call ``slot`` whenever the system switches between light and dark.

    Pass a window's own method: Qt then drops the connection when the window goes.
    """
    QGuiApplication.styleHints().colorSchemeChanged.connect(slot)
