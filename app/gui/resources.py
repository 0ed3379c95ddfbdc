"""Files the app loads at run time (icons, translations), found from source or a bundle."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import app

PLACEHOLDER = b"#000000"


def resource_dir() -> Path:
    """Where the icons and translations are: ``app/resources`` in an installed package (a
    wheel, ``pip install .``, a PyInstaller bundle), else ``resources/`` beside ``app`` in a
    clone of the repository (which is also what an editable install reads)."""
    package = Path(app.__file__).resolve().parent
    installed = package / "resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


@cache
def _svg(name: str) -> bytes:
    return resource("icons", f"{name}.svg").read_bytes()


def render_svg(svg: bytes, side: int) -> QImage:
    """``svg`` drawn into a transparent square image ``side`` pixels wide."""
    renderer = QSvgRenderer(QByteArray(svg))
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    return image


@cache
def pixmap(name: str, color: str, size: int, ratio: float = 2.0) -> QPixmap:
    """An icon drawn in ``color`` (they are single-colour line drawings)."""
    svg = _svg(name).replace(PLACEHOLDER, color.encode())
    result = QPixmap.fromImage(render_svg(svg, round(size * ratio)))
    result.setDevicePixelRatio(ratio)
    return result


def icon(name: str, color: str, size: int = 20) -> QIcon:
    result = QIcon()
    result.addPixmap(pixmap(name, color, size))
    return result


def app_icon() -> QIcon:
    result = QIcon()
    for file in ("app-48.png", "app.png"):
        path = resource("icons", file)
        if path.exists():
            result.addFile(str(path))
    if result.isNull():
        result.addFile(str(resource("icons", "app.svg")), QSize(256, 256))
    return result
