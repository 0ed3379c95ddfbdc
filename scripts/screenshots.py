"""Take the README's screenshots from the real app on a virtual screen.

    apt-get install -y xvfb xauth libxcb-icccm4 libxcb-keysyms1 imagemagick openbox
    xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- sh -c \
      'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
       .venv/bin/python scripts/screenshots.py'

For each language it starts the app on its embedded server in a fresh data directory,
activates a one-year code, saves a reserve code for three devices, and captures the
Profile page, the open three-dots menu, the Enter activation code dialog and License
details into docs/screenshots/, on a laptop's 1366×768 screen, with openbox drawing the
windows' frames as a desktop does. Popup menus only show on a real (X) screen, so the whole
screen is captured with ImageMagick's ``import`` and cropped to the windows, frames included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

from PySide6.QtCore import QEventLoop, QRect, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.gui import build_main_window  # noqa: E402
from app.gui.main_window import MainWindow  # noqa: E402


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout_ms: int = 20_000) -> None:
    waited = 0
    while not condition():
        if waited > timeout_ms:
            raise SystemExit("screenshots: timed out waiting for the app")
        wait(50)
        waited += 50


def capture(path: Path, windows: list[QWidget]) -> None:
    """Capture the screen around ``windows`` (their frames' union, plus a margin)."""
    for window in windows:  # the window manager has framed it, and it is where it stays
        wait_for(partial(settled, window))
    area = QRect()
    for window in windows:
        area = area.united(window.frameGeometry())
    area.adjust(-12, -12, 12, 12)
    area = area.intersected(QRect(0, 0, 10_000, 10_000))
    geometry = f"{area.width()}x{area.height()}+{max(area.x(), 0)}+{max(area.y(), 0)}"
    subprocess.run(["import", "-window", "root", "-crop", geometry, str(path)], check=True)
    print(f"screenshots: {path.relative_to(ROOT)}")


def settled(window: QWidget) -> bool:
    """Framed (popups have no frame) and not moving any more."""
    before = window.frameGeometry()
    wait(100)
    popup = window.windowType() == Qt.WindowType.Popup  # a menu: nothing frames it
    framed = window.isVisible() and (popup or window.frameGeometry() != window.geometry())
    return bool(framed) and window.frameGeometry() == before


def take(language: str) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix=f"standby-shots-{language}-"))
    # The Profile page's start-at-login switch turns itself on: in a config of its own for
    # each run, not the user's (nor the other language's).
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="standby-screenshots-")
    window: MainWindow = build_main_window(data_dir=data_dir, language=language)
    window.move(16, 8)
    window.resize(1080, 740)
    window.show()
    engine = window.engine
    wait_for(lambda: engine.snapshot.loaded and engine.snapshot.busy is None)
    server = window.embedded
    assert server is not None

    def issue(term_days: int, devices: int = 1) -> str:
        return server.issue_code(term_days * 86400, max_devices=devices)

    done: list[object] = []
    engine.saveFinished.connect(done.append)

    def saved(count: int) -> bool:
        return len(done) == count and engine.snapshot.busy is None

    for count, code in enumerate((issue(365), issue(730, devices=3)), start=1):
        engine.save_code(code)
        wait_for(partial(saved, count))
    window.banner.hide()
    suffix = f"_{language}"
    window.show_home()
    wait(400)
    capture(OUT / f"home{suffix}.png", [window])
    window.show_profile()
    wait(400)
    capture(OUT / f"profile{suffix}.png", [window])

    page = window.profile_page
    page.menu_button.setFocus()
    page.menu_button.click()
    wait(500)
    capture(OUT / f"menu{suffix}.png", [window, page.menu])
    page.menu.close()

    dialog = window.open_activation_dialog()
    dialog.move(window.x() + 280, window.y() + 170)
    dialog.edit.setText("7kq2m 4xrta-")
    dialog._edited(dialog.edit.text())  # as if typed: formats it and shows the hint
    wait(400)
    capture(OUT / f"activation-dialog{suffix}.png", [dialog])
    dialog.close()

    details = window.open_details()  # as tall as the screen: its title bar stays on it
    wait(500)
    capture(OUT / f"license-details{suffix}.png", [details])
    details.close()
    window.shutdown()
    window.deleteLater()
    wait(200)


def main() -> int:
    if not os.environ.get("DISPLAY"):
        print("screenshots: run under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    if shutil.which("openbox") is None:
        print("screenshots: needs openbox (apt-get install openbox)", file=sys.stderr)
        return 2
    manager = subprocess.Popen(["openbox", "--sm-disable"], stderr=subprocess.DEVNULL)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Standby")
    try:
        for language in ("en", "pl"):
            take(language)
    finally:
        manager.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
