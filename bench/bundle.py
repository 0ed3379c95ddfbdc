"""Size and start-up of the app's bundle against a bare PySide6 window's (the reference).

    python bench/bundle.py [--runs 20] [--onefile] [--reuse]

Builds, in ``build/bench-bundle/``, a bare PySide6 window with plain PyInstaller (no
options at all) and the app's bundle with ``packaging/build.py``, in the same Python
environment. Then it starts each one ``--runs`` times, alternating, and times process
start to the first paint of the window ("shown"). Both programs print "window shown" at
that moment (the app when ``STANDBY_STARTUP_PROBE`` is set). The app paints its frame
first and its pages just after; it prints "window complete" when it paints with them,
and that time is shown too (the bare window is complete at its first paint). It prints
sizes, median times and the ratios the targets are about (size 1.0x, start-up 1.5x).
Run it under Xvfb (``xvfb-run -a python bench/bundle.py``) for a real X11 window;
without a display it uses Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench-bundle"
SIZE_TARGET = 1.0
START_TARGET = 1.5

BARE_WINDOW = """\
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QApplication.instance().removeEventFilter(self)
            print("window shown", flush=True)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("Bare window")
window.setCentralWidget(QLabel("A bare PySide6 window"))
window.resize(640, 480)
window.show()
app.installEventFilter(FirstPaint(app))
sys.exit(app.exec())
"""


def build_reference(onefile: bool) -> dict[str, Path]:
    folder = WORK / "reference"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "bare_window.py").write_text(BARE_WINDOW)
    pyinstaller = [sys.executable, "-m", "PyInstaller"]
    subprocess.run([*pyinstaller, "bare_window.py"], cwd=folder, check=True, capture_output=True)
    built = {"one folder": folder / "dist" / "bare_window" / "bare_window"}
    if onefile:
        # --onefile is the one option needed to get that kind of bundle at all.
        subprocess.run(
            [*pyinstaller, "--onefile", "--distpath", "dist-onefile", "bare_window.py"],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        built["one file"] = folder / "dist-onefile" / "bare_window"
    return built


def build_app(onefile: bool) -> dict[str, Path]:
    command = [sys.executable, str(ROOT / "packaging" / "build.py"), "--onedir", "--no-self-test"]
    if onefile:
        command.append("--onefile")
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    built = {"one folder": ROOT / "dist" / "standby" / "standby"}
    if onefile:
        built["one file"] = ROOT / "dist" / "onefile" / "standby"
    return built


def bundle_size(executable: Path) -> int:
    """Bytes on disk: the file itself, or the whole folder of a one-folder bundle."""
    if executable.parent.name in ("dist-onefile", "onefile"):
        return executable.stat().st_size
    folder = executable.parent
    extras = {"install.sh", "standby.desktop", "standby.png"}  # added beside it for installing
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and path.name not in extras
    )


def start_once(command: list[str], env: dict[str, str], two_step: bool) -> tuple[float, float]:
    """Seconds from process start to the first paint, and to the complete window.

    The app paints its frame first and its pages just after ("window complete"); the bare
    window is complete at its first paint.
    """
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stdout is not None
    shown: float | None = None
    try:
        for line in process.stdout:
            if line.strip() == "window shown":
                shown = time.monotonic() - started
                if not two_step:
                    return shown, shown
            elif line.strip() == "window complete" and shown is not None:
                return shown, time.monotonic() - started
        raise RuntimeError(f"{command[0]} ended without showing its window")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="start-ups of each (default 20)")
    parser.add_argument("--onefile", action="store_true", help="also the one-file bundles")
    parser.add_argument("--reuse", action="store_true", help="use bundles built before")
    args = parser.parse_args()

    env = dict(os.environ, STANDBY_STARTUP_PROBE="1")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # leave a real one alone
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    platform = env.get("QT_QPA_PLATFORM") or ("xcb" if env.get("DISPLAY") else "wayland")

    if args.reuse:
        reference = {"one folder": WORK / "reference" / "dist" / "bare_window" / "bare_window"}
        app = {"one folder": ROOT / "dist" / "standby" / "standby"}
        if args.onefile:
            reference["one file"] = WORK / "reference" / "dist-onefile" / "bare_window"
            app["one file"] = ROOT / "dist" / "onefile" / "standby"
    else:
        print("building the reference (bare PySide6 window, plain PyInstaller) ...", flush=True)
        reference = build_reference(args.onefile)
        print("building the app (packaging/build.py) ...", flush=True)
        app = build_app(args.onefile)

    print(
        f"Qt platform: {platform}; {args.runs} start-ups of each, alternating; Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(
        f"{'bundle':<12}{'':<11}{'size MB':>9}{'shown: median':>15}{'min':>7}{'max':>7}"
        f"{'complete: median':>18}"
    )
    with tempfile.TemporaryDirectory(prefix="standby-bench-") as data:
        for kind in reference:
            commands = {
                "reference": [str(reference[kind])],
                "app": [str(app[kind]), "--data-dir", data],
            }
            for name, command in commands.items():  # a warm-up each: the page cache, first run
                start_once(command, env, two_step=name == "app")
            shown: dict[str, list[float]] = {name: [] for name in commands}
            complete: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(args.runs):
                for name, command in commands.items():
                    first, done = start_once(command, env, two_step=name == "app")
                    shown[name].append(first)
                    complete[name].append(done)
            sizes = {"reference": bundle_size(reference[kind]), "app": bundle_size(app[kind])}
            for name in commands:
                series = shown[name]
                print(
                    f"{kind:<12}{name:<11}{sizes[name] / 1e6:>9.1f}"
                    f"{statistics.median(series):>15.3f}{min(series):>7.3f}{max(series):>7.3f}"
                    f"{statistics.median(complete[name]):>18.3f}"
                )
            size_ratio = sizes["app"] / sizes["reference"]
            median = statistics.median
            start_ratio = median(shown["app"]) / median(shown["reference"])
            complete_ratio = median(complete["app"]) / median(complete["reference"])
            verdict = ""
            if kind == "one folder":
                met = size_ratio <= SIZE_TARGET and start_ratio <= START_TARGET
                verdict = (
                    f"   targets {SIZE_TARGET}x and {START_TARGET}x: {'met' if met else 'NOT met'}"
                )
            print(
                f"{kind:<12}{'app/ref':<11}{size_ratio:>8.2f}x{start_ratio:>14.2f}x"
                f"{'':>14}{complete_ratio:>17.2f}x{verdict}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
