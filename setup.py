"""Carries ``resources/`` (icons, translations) into the built package as ``app/resources``.

The files stay editable at the top of the repository; a wheel, ``pip install .`` and the
PyInstaller bundle all find them inside the installed ``app`` package (see
``app.gui.resources.resource_dir``). Everything else is in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: What the app loads at run time; sources such as ``.ts`` files stay behind.
SHIPPED = ("icons/*.svg", "icons/*.png", "translations/*.qm")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads them where they are
        target = Path(self.build_lib) / "app" / "resources"
        for pattern in SHIPPED:
            for source in sorted((ROOT / "resources").glob(pattern)):
                destination = target / source.relative_to(ROOT / "resources")
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)


setup(cmdclass={"build_py": BuildWithResources})
