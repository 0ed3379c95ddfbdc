"""Build the Standby bundles with PyInstaller: ``python packaging/build.py [--onedir] [--onefile]``.

Run it from a virtual environment that has Standby and PyInstaller installed
(``pip install . pyinstaller``). With neither option it builds both. Results, in ``dist/``:

* ``standby/``: the one-folder bundle (``standby/standby`` or ``standby\\standby.exe``);
  on Linux also ``standby-<version>-linux-<machine>.tar.gz``, that folder with
  ``install.sh``, the ``.desktop`` entry and the icon; on macOS ``Standby.app``;
* ``onefile/standby`` (``standby.exe``): the one-file executable;
* with ``--deb`` (Linux), ``standby_<version>_<arch>.deb``, made from ``standby/`` by
  ``packaging/deb.py``.

Each bundle is checked with its own ``--self-test`` unless ``--no-self-test`` is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "standby.spec"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
ICONS = BUILD / "icons"


def make_icons() -> None:
    """standby.ico (Windows) and standby.icns (macOS), drawn from resources/icons/app.svg.

    Qt's writers put one image in each file: 256 px for Windows, 512 px for macOS, which
    scale them down for smaller places.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImageWriter

    from app.gui.resources import render_svg

    _app = QGuiApplication.instance() or QGuiApplication([])
    svg = (ROOT / "resources" / "icons" / "app.svg").read_bytes()
    ICONS.mkdir(parents=True, exist_ok=True)
    for suffix, size in (("ico", 256), ("icns", 512)):
        target = ICONS / f"standby.{suffix}"
        writer = QImageWriter(str(target), suffix.encode())
        if not writer.write(render_svg(svg, size)):
            raise SystemExit(f"build: cannot write {target}: {writer.errorString()}")


def pyinstaller(mode: str) -> None:
    distpath = DIST if mode == "onedir" else DIST / "onefile"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(distpath), "--workpath", str(BUILD / f"pyinstaller-{mode}"),
        str(SPEC), "--", "--mode", mode, "--icons", str(ICONS),
    ]  # fmt: skip
    print(f"build: {mode} ...", flush=True)
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True)
    print(f"build: {mode} done in {time.monotonic() - started:.0f} s", flush=True)


def link_server_command() -> None:
    """``standby-server`` beside ``standby`` in the folder: the same program, which acts as
    the server's command line when started by that name (packaging/launcher.py)."""
    if sys.platform.startswith("linux"):
        link = DIST / "standby" / "standby-server"
        link.unlink(missing_ok=True)
        link.symlink_to("standby")


def executable(mode: str) -> Path:
    name = "standby.exe" if sys.platform == "win32" else "standby"
    return DIST / "standby" / name if mode == "onedir" else DIST / "onefile" / name


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def linux_archive() -> Path:
    """The one-folder bundle plus install.sh, the menu entry and the icon, as a tarball."""
    folder = DIST / "standby"
    shutil.copy2(ROOT / "packaging" / "linux" / "install.sh", folder / "install.sh")
    shutil.copy2(ROOT / "packaging" / "linux" / "standby.desktop", folder / "standby.desktop")
    shutil.copy2(ROOT / "resources" / "icons" / "app.png", folder / "standby.png")
    from app import __version__

    archive = DIST / f"standby-{__version__}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=f"standby-{__version__}")
    return archive


def debian_package() -> Path:
    sys.path.insert(0, str(ROOT / "packaging"))
    import deb

    from app import __version__

    icons = ROOT / "resources" / "icons"
    return deb.build(DIST / "standby", __version__, icons / "app.png", icons / "app.svg", DIST)


def self_test(mode: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    print(f"build: {mode} --self-test", flush=True)
    subprocess.run([str(executable(mode)), "--self-test"], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onedir", action="store_true", help="build the one-folder bundle")
    parser.add_argument("--onefile", action="store_true", help="build the one-file executable")
    parser.add_argument(
        "--deb", action="store_true", help="also make the Debian package (Linux, dpkg-dev)"
    )
    parser.add_argument("--no-self-test", action="store_true", help="skip running --self-test")
    args = parser.parse_args()
    modes = [m for m in ("onedir", "onefile") if getattr(args, m)]
    if not modes:
        modes = ["onedir"] if args.deb else ["onedir", "onefile"]

    make_icons()
    for mode in modes:
        pyinstaller(mode)
        if mode == "onedir":
            link_server_command()
        if not args.no_self_test:
            self_test(mode)
    lines = []
    if "onedir" in modes:
        lines.append(f"one folder: {DIST / 'standby'} ({size_of(DIST / 'standby') / 1e6:.0f} MB)")
        if sys.platform.startswith("linux"):
            lines.append(f"to install: {linux_archive()} (unpack it, run ./install.sh)")
    if "onefile" in modes:
        exe = executable("onefile")
        lines.append(f"one file:   {exe} ({size_of(exe) / 1e6:.0f} MB)")
    if args.deb:
        lines.append(f"Debian package: {debian_package()} (apt-get install ./<file>)")
    print("\n".join(f"build: {line}" for line in lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
