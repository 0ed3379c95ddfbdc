"""The navigation column: the brand, one entry per page, Help with its menu, the version.

The entries are plain buttons, not check boxes: the page shown is marked for the eye by the
``current`` style property and for a screen reader by the entry's description ("current
page"), as a web page marks the link to itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from app import __version__
from app.gui import theme
from app.gui.resources import icon
from app.gui.theme import set_property
from app.gui.widgets import label

translate = QCoreApplication.translate


class NavColumn(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navColumn")
        self.setFixedWidth(232)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 20, 14, 16)
        layout.setSpacing(4)
        brand = QLabel("Standby")
        brand.setObjectName("brandLabel")
        layout.addWidget(brand)
        self.home = self._entry(self.tr("Home"), "navHome", "home")
        self.scan = self._entry(self.tr("Scan"), "navScan", "scan")
        self.protection = self._entry(self.tr("Protection"), "navProtection", "shield")
        self.profile = self._entry(self.tr("Profile"), "navProfile", "profile")
        self.pages = (self.home, self.profile)  # the entries that have a page
        for later in (self.scan, self.protection):
            later.setEnabled(False)
            later.setToolTip(self.tr("Not part of this version of Standby"))
            later.setAccessibleDescription(later.toolTip())
        for widget in (self.home, self.scan, self.protection, self.profile):
            layout.addWidget(widget)
        layout.addStretch(1)

        self.help_button = self._entry(self.tr("Help"), "navHelp", "help")
        self.help_menu = QMenu(self.help_button)
        self.help_menu.setObjectName("helpMenu")
        self.account_web_action = QAction(self.tr("Your account on the web"), self)
        self.account_web_action.setObjectName("accountWebAction")
        self.account_web_action.setEnabled(False)  # until the window knows its server
        self.log_action = QAction(self.tr("Open the log file"), self)
        self.log_action.setObjectName("openLogAction")
        self.about_action = QAction(self.tr("About Standby"), self)
        self.about_action.setObjectName("aboutAction")
        self.help_menu.addAction(self.account_web_action)
        self.help_menu.addAction(self.log_action)
        self.help_menu.addAction(self.about_action)
        self.help_button.setMenu(self.help_menu)
        layout.addWidget(self.help_button)
        version = label(self.tr("Version %1").replace("%1", __version__), "muted")
        version.setContentsMargins(14, 8, 0, 0)
        layout.addWidget(version)
        self._current = self.home

    def _entry(self, text: str, name: str, icon_name: str) -> QPushButton:
        widget = QPushButton(text)
        widget.setObjectName(name)
        widget.setProperty("nav", True)
        widget.setProperty("icon_name", icon_name)
        widget.setCursor(Qt.CursorShape.PointingHandCursor)
        # The focus ring is for the keyboard: a click (on Help, whose menu then closes)
        # must not leave a second entry looking selected.
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return widget

    @property
    def current(self) -> QPushButton:
        """The entry of the page shown."""
        return self._current

    def set_current(self, entry: QPushButton) -> None:
        self._current = entry
        for page in self.pages:
            set_property(page, "current", page is entry)
            page.setAccessibleDescription(
                translate("NavColumn", "current page") if page is entry else ""
            )
        self.refresh_icons()

    def refresh_icons(self) -> None:
        colors = theme.current()
        for widget in self.findChildren(QPushButton):
            name = widget.property("icon_name")
            if name:
                color = colors.accent if widget is self._current else colors.muted
                widget.setIcon(icon(str(name), color, 20))
