"""Message boxes, opened window-modal with ``open()`` (never a blocking ``exec()``): each
closes and deletes itself, and whatever follows an answer runs from a callback."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.theme import set_property

translate = QCoreApplication.translate


def message(
    parent: QWidget,
    name: str,
    icon: QMessageBox.Icon,
    text: str,
    informative: str | None = None,
    *,
    title: str | None = None,
    then: Callable[[], None] | None = None,
) -> QMessageBox:
    """Show ``text`` (and ``informative``, the details); call ``then`` once it is closed."""
    box = QMessageBox(icon, title or text, text, parent=parent)
    box.setObjectName(name)
    if informative:
        box.setInformativeText(informative)

    def closed() -> None:
        if then is not None:
            then()
        box.deleteLater()

    box.finished.connect(lambda _result: closed())
    box.open()
    return box


def confirm(parent: QWidget, title: str, text: str, on_yes: Callable[[], None]) -> QMessageBox:
    """Ask whether to remove something; call ``on_yes`` only if the user agrees.

    The question is the box's own text (a title bar may not show), the consequences are
    its informative text, and the default is to keep things as they are.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, title, parent=parent)
    box.setObjectName("confirmDialog")
    box.setInformativeText(text)
    yes = box.addButton(translate("MainWindow", "Remove"), QMessageBox.ButtonRole.DestructiveRole)
    yes.setObjectName("confirmYesButton")
    set_property(yes, "destructive", True)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    no.setObjectName("confirmNoButton")
    box.setDefaultButton(no)

    def answered() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(lambda _result: answered())
    box.open()
    return box
