"""Keep PySide6's import hook from running other modules' code.

Once PySide6 is imported, every import passes through a hook of shiboken's that asks of
each new module whether its source mentions "PySide6", with ``inspect.getsource``. That
first looks for a ``__wrapped__`` attribute, which runs the module-level ``__getattr__``
some modules have. pydantic's imports more of pydantic, and when that happens while
pydantic is half imported (the embedded server's thread importing FastAPI) the import
fails: about one start in six of the bundle (``cannot import name 'import_string' from
partially initialized module 'pydantic._internal._validators'``).

:func:`install` gives the hook the same answer by reading the module's file, which runs
nothing. Where shiboken lacks the function (another PySide6 version), it does nothing.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _mentions_pyside(module: ModuleType) -> bool:
    """What shiboken's own check answers, without touching the module's attributes:
    True when the module's source file mentions PySide6; False without a source file."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:  # a bundle keeps compiled modules only
        return False


def install() -> None:
    """Call after importing PySide6, before other threads import anything."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and hasattr(feature, "_mod_uses_pyside"):
        setattr(feature, "_mod_uses_pyside", _mentions_pyside)  # noqa: B010 (private)
