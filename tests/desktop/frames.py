"""Every window of the app on a real display with a real window manager, frames measured.

    python -m tests.desktop.frames LANGUAGE OUT_FILE

Run by ``test_window_frames.py`` under Xvfb with openbox. It builds the window (embedded
server, a license and a reserve code, so License details is at its tallest), opens each
dialog and message box in turn, waits for the window manager to frame it, drags it by its
title bar with ``xdotool`` (a real pointer, through the X server) and writes one JSON record
per window to OUT_FILE: its frame (as the window manager tells it, read with ``xprop``) and
content before and after the drag, and the screen's available area.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.gui.placement import available_area
from app.selftest.scenario import wait_until

#: How far the title bar is dragged, right and down.
DRAG = (60, 40)


def is_hidden(window: QWidget) -> bool:
    return not window.isVisible()


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def wm_frame(window: QWidget) -> QRect | None:
    """The window's frame as the window manager says it drew it (``_NET_FRAME_EXTENTS``
    around the content), or None before it has framed the window. Asked of the X server,
    not of Qt: Qt may read the frame before it is drawn and then keep it as none."""
    said = subprocess.run(
        ["xprop", "-id", str(int(window.winId())), "_NET_FRAME_EXTENTS"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = re.search(r"=\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)", said)
    if found is None or not window.isVisible():
        return None
    left, right, top, bottom = (int(part) for part in found.groups())
    return window.geometry().adjusted(-left, -top, right, bottom)


def settled(window: QWidget) -> Callable[[], bool]:
    """A condition: the window is framed and its frame has stayed put for the last ten
    looks (what the app and the window manager do on showing it is over). Not that it is
    active: a window manager may keep the focus where the pointer last clicked."""
    seen: list[QRect] = []

    def condition() -> bool:
        frame = wm_frame(window)
        if frame is None:
            seen.clear()
            return False
        seen.append(frame)
        return len(seen) >= 10 and all(each == seen[-1] for each in seen[-10:])

    return condition


def drag(window: QWidget, grab: tuple[int, int]) -> bool:
    """Drag the window by the point ``grab`` with the pointer; True if it moved."""
    before = window.geometry().topLeft()
    x, y = grab
    # As a hand does it: press, then move in small steps.
    steps = [f"{x + DRAG[0] * k // 6} {y + DRAG[1] * k // 6}" for k in range(1, 7)]
    script = [f"mousemove --sync {x} {y}", "sleep 0.1", "mousedown 1"]
    script += [part for step in steps for part in ("sleep 0.05", f"mousemove --sync {step}")]
    script += ["sleep 0.1", "mouseup 1"]
    subprocess.run(["xdotool", *" ".join(script).split()], check=True, timeout=20)
    try:
        wait_until(lambda: window.geometry().topLeft() != before, "a move", 3)
    except Exception:
        return False
    return True


def measure(name: str, window: QWidget) -> dict[str, Any]:
    """Wait for the frame, drag the window by its title bar, and say where it was."""
    print(f"frames: {name}", file=sys.stderr, flush=True)  # where a failure stopped
    try:
        wait_until(settled(window), f"{name} framed and still", 30)
    except Exception:
        print(  # what the window was like instead
            f"frames: {name}: visible {window.isVisible()}, frame {wm_frame(window)}, "
            f"as Qt has it {rect(window.frameGeometry())}, content {rect(window.geometry())}",
            file=sys.stderr,
            flush=True,
        )
        raise
    frame, inner = wm_frame(window), window.geometry()
    assert frame is not None
    area = available_area(window)
    assert area is not None
    record: dict[str, Any] = {
        "name": name,
        "frame": rect(frame),
        "content": rect(inner),
        "area": rect(area),
    }
    # A point on the title bar: between the frame's top and the content's, left of centre
    # (clear of the window's buttons, which openbox puts on the right).
    grab = (frame.left() + frame.width() // 3, frame.top() + (inner.top() - frame.top()) // 2)
    record["grab"] = list(grab)
    # A pointer that presses while the window manager is still busy with the window may
    # not start a drag; a person tries again, and so does this, up to three times.
    record["attempts"] = 0
    while inner.top() > frame.top() and record["attempts"] < 3:
        record["attempts"] += 1
        if drag(window, grab):
            break
    record["after_drag"] = rect(wm_frame(window) or QRect())
    return record


def main() -> int:
    language, out = sys.argv[1], Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    from app import logs
    from app.engine.vocabulary import SaveOutcome
    from app.gui import build_main_window

    folder = Path(tempfile.mkdtemp())
    logs.setup(folder)  # Help → Open the log file has a file to show
    window = build_main_window(data_dir=folder, language=language)
    window.show()
    engine = window.engine
    wait_until(lambda: engine.snapshot.loaded and engine.snapshot.busy is None, "loading", 60)
    server = window.embedded
    assert server is not None

    def save(term_days: int) -> None:
        code = server.issue_code(term_days * 86400)
        outcomes: list[SaveOutcome] = []
        engine.saveFinished.connect(outcomes.append)
        engine.save_code(code)
        wait_until(lambda: bool(outcomes) and engine.snapshot.busy is None, "saving", 60)
        engine.saveFinished.disconnect(outcomes.append)

    save(365)
    save(730)
    records = [measure("main window", window)]

    def box(name: str) -> Callable[[], QWidget]:
        def find() -> QWidget:
            found = window.findChild(QMessageBox, name)
            assert found is not None, name
            return found

        return find

    def log_dialog() -> QWidget:
        assert window.log_dialog is not None
        return window.log_dialog

    # No program opens text files here: Help → Open the log file says where the file is.
    window.open_file = lambda _path, _parent, failed: failed("no method available")
    dialogs: list[tuple[str, Callable[[], object], Callable[[], QWidget] | None]] = [
        ("activation code", window.open_activation_dialog, None),
        ("sign in", window.open_sign_in, None),
        ("license details", window.open_details, None),
        ("demo codes", window.open_demo_codes, None),
        ("about", window.about, box("aboutDialog")),
        ("remove license", window.confirm_remove_license, None),
        ("log file", window.open_log, log_dialog),
    ]
    for name, opener, finder in dialogs:
        opened = opener()
        dialog = finder() if finder is not None else opened
        assert isinstance(dialog, QWidget), name
        if name == "demo codes":
            wait_until(partial(getattr, dialog, "codes"), "the demo codes", 60)
        records.append(measure(name, dialog))
        dialog.close()
        wait_until(partial(is_hidden, dialog), f"{name} closed", 10)
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1))
    window.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
