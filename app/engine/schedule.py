"""When the engine wakes up by itself: the next state change, retries, status syncs.

Three one-shot timers, armed only while something is due, so an idle engine sleeps. Timers
do not count time the computer is suspended, but the wall clock does: while a wake-up is
armed, a slow check of the clock (``Timing.clock_check``, 30 s by default) notices that
its moment passed during a sleep.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.engine.vocabulary import Timing

#: QTimer takes a 32-bit count of milliseconds; longer waits are taken in steps.
MAX_TIMER_MS = 24 * 3600 * 1000


def _start(timer: QTimer, seconds: float) -> None:
    timer.start(int(min(MAX_TIMER_MS, max(0.0, seconds * 1000))))


class Schedule(QObject):
    wake = Signal()  # the moment given to wake_at has come (or a step towards it)
    retry = Signal(bool)  # retry the reserve's activation (manual: as the user asked it)
    sync = Signal()  # time for a status sync

    def __init__(self, parent: QObject, timing: Timing, clock: Callable[[], datetime]) -> None:
        super().__init__(parent)
        self.timing = timing
        self._now = clock
        self._due_at: datetime | None = None
        self._retry_manual = False
        self._sync_delay = 0.0
        self._watched = False
        self._wake = self._timer(self.wake.emit)
        self._retry = self._timer(lambda: self.retry.emit(self._retry_manual))
        self._sync = self._timer(self.sync.emit)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._check_clock)

    def _timer(self, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        return timer

    def stop(self) -> None:
        for timer in (self._wake, self._retry, self._sync, self._clock):
            timer.stop()

    # --- the next change of state ---------------------------------------------------------

    def wake_at(self, moment: datetime | None, now: datetime) -> None:
        self._due_at = moment
        if moment is None:
            self._wake.stop()
            self._clock.stop()
            return
        _start(self._wake, (moment - now).total_seconds() + 0.001)
        interval = int(self.timing.clock_check * 1000)
        if not self._clock.isActive() or self._clock.interval() != interval:
            self._clock.start(interval)

    def _check_clock(self) -> None:
        if self._due_at is not None and self._now() >= self._due_at:
            self.wake.emit()

    # --- the reserve's retries ------------------------------------------------------------

    def retry_in(self, seconds: float, *, manual: bool) -> None:
        self._retry_manual = manual
        _start(self._retry, seconds)

    def cancel_retry(self) -> None:
        self._retry.stop()

    def retry_now_if_waiting(self) -> None:
        if self._retry.isActive():
            _start(self._retry, 0)

    # --- status syncs ---------------------------------------------------------------------

    def sync_later(self) -> None:
        """The regular sync: a few hours from now, a few minutes while watched."""
        _start(self._sync, self._sync_interval())

    def _sync_interval(self) -> float:
        if self._watched:
            return self.timing.watched_sync_interval
        return self.timing.sync_interval

    def watch(self, watched: bool) -> None:
        """Someone looks at the license's state (a window is shown), or no longer does.

        While watched, the regular sync comes every few minutes, so what changed on the
        server (or that it stopped answering) shows without the user asking; one timer
        still, so an unwatched engine wakes no more often than before.
        """
        self._watched = watched
        interval = self._sync_interval() * 1000
        if watched and self._sync.isActive() and self._sync.remainingTime() > interval:
            _start(self._sync, self._sync_interval())

    def sync_answered(self) -> None:
        self._sync_delay = 0.0
        self.sync_later()

    def sync_soon(self) -> None:
        """The server did not answer: look for it again, backing off up to a minute."""
        self._sync_delay = min(
            self.timing.unreachable_retry_max,
            max(self.timing.retry_first, self._sync_delay * 2),
        )
        if not self._sync.isActive() or self._sync.remainingTime() > self._sync_delay * 1000:
            _start(self._sync, self._sync_delay)
