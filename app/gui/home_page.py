"""The Home page: one sentence, a shield in the state's colour, and the one thing to do.

What it says is a pure function of the engine's snapshot (:func:`home_view`); the page only
shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.license import LicenseState
from app.engine.engine import Engine
from app.engine.vocabulary import Snapshot
from app.gui import theme
from app.gui.resources import pixmap
from app.gui.widgets import button, label, set_tone

translate = QCoreApplication.translate


class HomeAction(Enum):
    MANAGE = "manage"  # all is well: the license, in Profile
    ENTER_CODE = "enter_code"  # a code is what is missing: Enter activation code
    FIX = "fix"  # something in Profile needs the user (a reserve that failed, a block)


@dataclass(frozen=True)
class HomeView:
    tone: str  # ok, warn or bad
    headline: str
    detail: str
    action: HomeAction
    action_text: str


def home_view(snap: Snapshot) -> HomeView:
    """What Home says about ``snap``. A reserve code that will take over is good news: the
    device stays protected, and nothing needs fixing."""

    manage = translate("HomePage", "Manage license")
    if not snap.loaded:
        return HomeView(
            "warn",
            translate("HomePage", "Checking your protection…"),
            "",
            HomeAction.MANAGE,
            manage,
        )
    state, reserve = snap.state, snap.reserve
    reserve_ok = reserve is not None and not snap.reserve_failed_for_good
    if state in (LicenseState.ACTIVE, LicenseState.TRIAL):
        return HomeView(
            "ok",
            translate("HomePage", "Your device is protected"),
            translate("HomePage", "Your license is active."),
            HomeAction.MANAGE,
            manage,
        )
    if state is LicenseState.EXPIRING_SOON:
        if reserve_ok:
            return HomeView(
                "ok",
                translate("HomePage", "Your device stays protected"),
                translate(
                    "HomePage",
                    "Your license ends soon, and your reserve code takes over by itself.",
                ),
                HomeAction.MANAGE,
                manage,
            )
        if reserve is not None:
            return HomeView(
                "warn",
                translate("HomePage", "Your license ends soon"),
                translate(
                    "HomePage",
                    "Your reserve code could not be activated. See what to do in Profile.",
                ),
                HomeAction.FIX,
                translate("HomePage", "Fix it in Profile"),
            )
        return HomeView(
            "warn",
            translate("HomePage", "Your license ends soon"),
            translate(
                "HomePage",
                "Enter a new activation code to stay protected: it waits as your reserve code "
                "and takes over by itself.",
            ),
            HomeAction.ENTER_CODE,
            translate("HomePage", "Enter activation code"),
        )
    detail = {
        LicenseState.EXPIRED: translate("HomePage", "Your license has expired."),
        LicenseState.BLOCKED: translate("HomePage", "Your license has been blocked."),
    }.get(state, translate("HomePage", "No license is active on this device."))
    if reserve is not None:  # the reserve is taking over, or needs the user to
        return HomeView(
            "bad",
            translate("HomePage", "Your device is not protected"),
            detail,
            HomeAction.FIX,
            translate("HomePage", "Fix it in Profile"),
        )
    return HomeView(
        "bad",
        translate("HomePage", "Your device is not protected"),
        detail,
        HomeAction.ENTER_CODE,
        translate("HomePage", "Enter activation code"),
    )


class HomePage(QWidget):
    def __init__(
        self,
        engine: Engine,
        open_profile: Callable[[], None],
        enter_code: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self._open_profile = open_profile
        self._enter_code = enter_code
        self.setObjectName("homePage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 32, 36, 32)
        layout.setSpacing(18)
        layout.addWidget(label(self.tr("Home"), "title"))
        layout.addStretch(1)
        self.shield = QLabel()
        self.shield.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.shield)
        self.headline = label("", "title", "homeHeadline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.headline)
        self.detail = label("", "muted", "homeDetail", wrap=True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        row.addStretch(1)
        self.action_button = button("", "homeActionButton", primary=True)
        self.action_button.clicked.connect(self._act)
        row.addWidget(self.action_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.view = home_view(engine.snapshot)
        engine.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        view = self.view = home_view(self.engine.snapshot)
        colors = theme.current()
        shield = {"ok": "shield-ok", "warn": "shield-warn"}.get(view.tone, "shield-bad")
        self.shield.setPixmap(pixmap(shield, colors.tone(view.tone), 120))
        set_tone(self.headline, view.tone)
        self.headline.setText(view.headline)
        self.detail.setText(view.detail)
        self.action_button.setText(view.action_text)

    def _act(self) -> None:
        if self.view.action is HomeAction.ENTER_CODE:
            self._enter_code()
        else:
            self._open_profile()
