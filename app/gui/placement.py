"""Where a window goes on the screen: all of it, title bar included, inside the screen's
available area, so it can always be grabbed and moved.

A window manager draws a frame (the title bar, the borders) around each window, and tells
Qt how thick it is only once the window is on screen. Until then a window's frame is
estimated from the window it belongs to (the same window manager draws the same frame),
and once the real frame is known the window is fitted again, until it fits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Qt platforms where no window ever gets a frame: nothing to wait for there.
UNFRAMED = frozenset({"offscreen", "minimal", "vnc"})


def frame_margins(window: QWidget) -> QMargins:
    """How far ``window``'s frame reaches past its content on each side: its own once the
    window manager has framed it, else that of the window it belongs to, else none."""
    for candidate in (window, window.parentWidget()):
        if candidate is None:
            continue
        top_level = candidate.window()
        frame, inner = top_level.frameGeometry(), top_level.geometry()
        if frame != inner:
            return QMargins(
                inner.left() - frame.left(),
                inner.top() - frame.top(),
                frame.right() - inner.right(),
                frame.bottom() - inner.bottom(),
            )
    return QMargins()


def is_framed(window: QWidget) -> bool:
    """True once the window manager has put its frame around ``window``."""
    return window.frameGeometry() != window.geometry()


def available_area(window: QWidget) -> QRect | None:
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else None


def largest_content(window: QWidget) -> QSize | None:
    """The largest content ``window`` can have with its frame inside the screen."""
    area = available_area(window)
    if area is None:
        return None
    margins = frame_margins(window)
    return QSize(
        area.width() - margins.left() - margins.right(),
        area.height() - margins.top() - margins.bottom(),
    )


def keep_on_screen(window: QWidget) -> None:
    """Move ``window`` (with its frame) inside its screen's available area where it sticks
    out; shrink it first where it is larger than the area."""
    area = available_area(window)
    if area is None:
        return
    largest = largest_content(window)
    if largest is not None and (
        window.width() > largest.width() or window.height() > largest.height()
    ):
        window.resize(
            max(min(window.width(), largest.width()), window.minimumWidth()),
            max(min(window.height(), largest.height()), window.minimumHeight()),
        )
    margins = frame_margins(window)
    frame = window.geometry().marginsAdded(margins)
    x = min(max(frame.left(), area.left()), max(area.left(), area.right() - frame.width() + 1))
    y = min(max(frame.top(), area.top()), max(area.top(), area.bottom() - frame.height() + 1))
    if (x, y) == (frame.left(), frame.top()):
        return
    if window.isVisible() and not is_framed(window):
        # Shown, but not framed yet: Qt takes a position as the content's then, and the
        # frame comes around it; so the content goes where it will sit inside the frame.
        window.setGeometry(
            QRect(QPoint(x + margins.left(), y + margins.top()), window.geometry().size())
        )
        return
    window.move(x, y)  # the frame's corner, wherever the window manager draws it


def fits(window: QWidget) -> bool:
    """True when ``window``'s frame lies inside the screen's available area."""
    area = available_area(window)
    return area is None or area.contains(window.frameGeometry())


class _UntilFramedAndFitting(QObject):
    """Calls back while the window manager has framed the window but its frame sticks out
    of the screen, until it fits; then it goes, and the user may place the window anywhere.

    No event says that a frame came: a frame added around a window that stays where it
    is moves nothing. So the window is looked at when it moves or is activated, and every
    50 ms while it waits for its frame (ten seconds at most) and for three seconds after.
    A move asked for while the window manager is still placing the window may be undone
    by it, so the frame is looked at again after each call.
    """

    #: Looks at most, and how many of them once framed (a busy machine may take seconds
    #: to frame a window; once framed, the first few looks settle it).
    LOOKS = 200
    FRAMED_LOOKS = 60
    INTERVAL_MS = 50

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._looks = self._framed_looks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._look)
        window.installEventFilter(self)
        if window.isVisible():
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show:
            self._looks = self._framed_looks = 0
            self._timer.start()
        if kind in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.WindowActivate):
            QTimer.singleShot(0, self, self._look)
        return False

    def _look(self) -> None:
        window = self._window
        if not window.isVisible():
            self._timer.stop()  # until it is shown again
            return
        self._looks += 1
        framed = is_framed(window)
        if framed:
            self._framed_looks += 1
            if fits(window):
                self._finish()
                return
            self._then()
        if self._looks >= self.LOOKS or self._framed_looks >= self.FRAMED_LOOKS:
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        self._window.removeEventFilter(self)
        self.deleteLater()


def when_framed(window: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` once ``window`` has its real frame, if the frame does not fit the
    screen, and again until it does (never where nothing frames windows: offscreen, or a
    window manager without frames)."""
    if (is_framed(window) and fits(window)) or QGuiApplication.platformName() in UNFRAMED:
        return
    _UntilFramedAndFitting(window, then)


def fit_main_window(window: QWidget) -> None:
    """Keep a top-level window on the screen now, and again once its frame is known."""
    keep_on_screen(window)
    when_framed(window, lambda: keep_on_screen(window))
