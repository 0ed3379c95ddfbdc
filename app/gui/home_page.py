"""The Home page: one sentence and a shield in the state's colour."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.license import LicenseState
from app.engine.engine import Engine
from app.gui import texts, theme
from app.gui.resources import pixmap
from app.gui.widgets import button, label, set_tone


class HomePage(QWidget):
    def __init__(
        self,
        engine: Engine,
        open_profile: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
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
        self.profile_button = button(self.tr("Go to Profile"), "homeProfileButton", primary=True)
        self.profile_button.clicked.connect(open_profile)
        row.addWidget(self.profile_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        engine.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        snap = self.engine.snapshot
        tone = texts.state_tone(snap.state) if snap.loaded else "warn"
        colors = theme.current()
        shield = {"ok": "shield-ok", "warn": "shield-warn"}.get(tone, "shield-bad")
        self.shield.setPixmap(pixmap(shield, colors.tone(tone), 120))
        set_tone(self.headline, tone)
        if not snap.loaded:
            self.headline.setText(self.tr("Checking your protection…"))
            self.detail.setText("")
        elif tone == "ok":
            self.headline.setText(self.tr("Your device is protected"))
            self.detail.setText(self.tr("Your license is active."))
        elif tone == "warn":
            self.headline.setText(self.tr("Your license ends soon"))
            self.detail.setText(
                self.tr("Your reserve code takes over by itself.")
                if snap.reserve
                else self.tr("Enter a new activation code in Profile to stay protected.")
            )
        else:
            self.headline.setText(self.tr("Your device is not protected"))
            self.detail.setText(
                {
                    LicenseState.EXPIRED: self.tr("Your license has expired."),
                    LicenseState.BLOCKED: self.tr("Your license has been blocked."),
                }.get(snap.state, self.tr("No license is active on this device."))
            )
        self.profile_button.setText(
            self.tr("Manage license") if tone == "ok" else self.tr("Fix it in Profile")
        )
