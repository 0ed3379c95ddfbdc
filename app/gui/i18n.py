"""Languages: English (the source) and Polish, from .qm files built out of resources/*.ts."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.gui.resources import resource

LANGUAGES = ("en", "pl")
_installed: list[QTranslator] = []


def system_language() -> str:
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def install(language: str | None) -> str:
    """Load the app's and Qt's own translations for ``language`` (None: the system's)."""
    chosen = language if language in LANGUAGES else system_language()
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    locale = QLocale("pl_PL" if chosen == "pl" else "en_GB")
    QLocale.setDefault(locale)
    own = own_translator(chosen)
    if own is not None:
        app.installTranslator(own)
        _installed.append(own)
    if chosen != "en":
        qt = qt_translator(chosen)
        if qt is not None:
            app.installTranslator(qt)
            _installed.append(qt)
    return chosen


def own_translator(language: str) -> QTranslator | None:
    """The app's texts in ``language`` (English carries only the plural forms)."""
    translator = QTranslator(QCoreApplication.instance())
    if translator.load(str(resource("translations", f"standby_{language}.qm"))):
        return translator
    return None


def qt_translator(language: str) -> QTranslator | None:
    """Qt's own texts (dialog buttons and the like) in ``language``."""
    translator = QTranslator(QCoreApplication.instance())
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", folder) or translator.load(
        str(resource("translations", f"qtbase_{language}.qm"))
    ):
        return translator
    return None
