"""Small building blocks shared by the pages and dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.placement import keep_on_screen, largest_content, when_framed
from app.gui.theme import set_property
from app.gui.view_model import Offer


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


def wide_enough(widget: QPushButton, *texts: str) -> None:
    """Keep ``widget`` as wide as the widest of ``texts`` it will show (a Copy button that
    turns into "Copied"): changing its text then moves nothing around it."""
    shown = widget.text()
    widths = []
    for text in texts:
        widget.setText(text)
        widths.append(widget.sizeHint().width())
    widget.setText(shown)
    widget.setMinimumWidth(max(widths) + 24)


def set_tone(widget: QWidget, tone: str | None) -> None:
    set_property(widget, "tone", tone or "")


def show_offer(widget: QWidget, offer: Offer) -> None:
    """Show, hide, enable or disable a button as ``offer`` says."""
    widget.setVisible(offer is not Offer.HIDDEN)
    widget.setEnabled(offer is not Offer.DISABLED)


def show_text(widget: QLabel, text: str | None) -> None:
    """Set a label's text and hide it when there is none."""
    widget.setText(text or "")
    widget.setVisible(bool(text))


class DialogColumn:
    """The column every dialog is built in: its content in :attr:`body`, which scrolls when
    the screen is too short for it, and its buttons in :attr:`buttons`, a row below the
    scrolling part that always stays in view. :meth:`fit` sizes the dialog to its content,
    within the screen's available area."""

    def __init__(self, dialog: QWidget, width: int, spacing: int = 14) -> None:
        self.dialog = dialog
        outer = QVBoxLayout(dialog)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("dialogScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content = QWidget()
        content.setObjectName("dialogBody")
        self.body = QVBoxLayout(content)
        keep_width(self.body, width)
        self.body.setContentsMargins(28, 24, 28, 8)
        self.body.setSpacing(spacing)
        self.scroll.setWidget(content)
        outer.addWidget(self.scroll, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(28, 12, 28, 24)
        self.buttons.setSpacing(10)
        outer.addLayout(self.buttons)
        self._outer = outer
        self._refit_when_framed = False

    def fit(self) -> None:
        """Resize the dialog to the height its content needs (after rows appear or go, or
        wrapped text grows; Qt does not do this for windows by itself), but never past the
        screen's available height, and keep it on the screen.

        Done once the event loop has run: widgets just added to a visible window are shown
        (and so counted by its layout) only then.
        """
        QTimer.singleShot(0, self.dialog, self._fit_now)

    def _fit_now(self) -> None:
        dialog = self.dialog
        for child in dialog.findChildren(QWidget):
            child.ensurePolished()  # the stylesheet's padding counts only once polished
        self.body.activate()
        self._outer.activate()
        width = max(dialog.width(), self.body.minimumSize().width())
        body = (
            self.body.totalHeightForWidth(width)
            if self.body.hasHeightForWidth()
            else self.body.totalSizeHint().height()
        )
        wanted = body + self.buttons.totalSizeHint().height()
        largest = largest_content(dialog)
        if largest is not None:  # no taller than the screen, title bar included
            wanted = min(wanted, largest.height())
        dialog.resize(width, max(wanted, dialog.minimumHeight()))
        keep_on_screen(dialog)
        if not self._refit_when_framed:
            # The frame was only estimated: fit once more when the real one is known.
            self._refit_when_framed = True
            when_framed(dialog, self._fit_now)


def keep_width(layout: QBoxLayout, width: int) -> None:
    """A dialog at least ``width`` wide, set through its layout: a minimum size set on the
    window itself would stop Qt from keeping it tall enough for its content."""
    layout.addSpacerItem(QSpacerItem(width, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed))


def field_grid(title_width: int = 190) -> QGridLayout:
    """A 'title: value' grid whose value column starts at the same place in every card."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(8)
    grid.setColumnMinimumWidth(0, title_width)
    grid.setColumnStretch(1, 1)
    return grid


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader say ``text`` now (an outcome that appeared without the focus
    moving to it). Polite: after what it is saying; assertive: at once."""
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)


class _VisibleTicker(QObject):
    """Runs a timer only while its widget is shown: a hidden window wakes nobody up."""

    def __init__(self, widget: QWidget, interval_ms: int, slot: Callable[[], object]) -> None:
        super().__init__(widget)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(slot)
        widget.installEventFilter(self)
        if widget.isVisible():
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.timer.start()
        elif event.type() == QEvent.Type.Hide:
            self.timer.stop()
        return False


def tick_while_visible(widget: QWidget, interval_ms: int, slot: Callable[[], object]) -> QTimer:
    """A timer calling ``slot`` every ``interval_ms`` while ``widget`` is shown."""
    return _VisibleTicker(widget, interval_ms, slot).timer
