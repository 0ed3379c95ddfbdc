"""The Debian package, made from the one-folder bundle: ``packaging/build.py --deb``.

``dist/standby_<version>_<arch>.deb`` installs the bundle in ``/opt/standby``, the commands
``/usr/bin/standby`` and ``/usr/bin/standby-server`` (links to it), the menu entry, the icon,
manual pages and the files Debian's policy asks for. ``Depends`` lists the system libraries
the bundle links to and does not carry, as ``dpkg-shlibdeps`` finds them. Removing the
package never touches users' license data (``~/.local/share/standby``).

Needs ``dpkg-deb`` and ``dpkg-shlibdeps`` (Debian's ``dpkg-dev``).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tempfile
import time
from email.utils import formatdate
from pathlib import Path

HERE = Path(__file__).resolve().parent / "linux"
PREFIX = "opt/standby"
MAINTAINER = "Standby developers <developers@standby.invalid>"
DESCRIPTION = """\
Description: license client that renews itself with a reserve activation code
 Standby keeps this computer's security license active. While the license runs,
 a newly bought activation code can be entered ahead of time as the reserve
 code; when the license expires, is removed or is blocked, Standby activates
 the reserve code by itself, so protection never lapses.
 .
 The package also carries standby-server, the activation server (SQLite).
"""


def _run(*command: str, cwd: Path | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = "\n".join(result.stderr.strip().splitlines()[-10:])
        raise SystemExit(f"deb: {' '.join(command[:2])} failed:\n{said}")
    return result.stdout


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def depends(bundle: Path) -> str:
    """What the bundle needs from the system, as Debian packages with their versions.

    The libraries its programs and libraries link to and that it does not carry itself
    (the bundle finds its own first), found through ``ldconfig`` and ``dpkg -S``; the
    versions come from ``dpkg-shlibdeps``, which alone would also list packages for
    libraries the bundle carries.
    """
    bundle = bundle.resolve()
    everything = sorted(bundle.rglob("*"))
    carried = {p.name for p in everything}
    elves = [p for p in everything if p.is_file() and not p.is_symlink() and _is_elf(p)]
    needs: dict[Path, set[str]] = {}
    for elf in elves:
        lines = _run("readelf", "-d", "-W", str(elf)).splitlines()
        needs[elf] = {x.rsplit("[", 1)[1].rstrip("]") for x in lines if "(NEEDED)" in x}
    missing = set().union(*needs.values()) - carried
    system = _system_libraries()
    packages = set()
    for soname in sorted(missing):
        if soname not in system:
            raise SystemExit(f"deb: {soname} is needed but neither bundled nor installed here")
        packages.add(_package_of(system[soname]))
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "debian").mkdir()
        (Path(scratch) / "debian" / "control").write_text(
            "Source: standby\n\nPackage: standby\nArchitecture: any\n"
        )
        out = _run(
            "dpkg-shlibdeps",
            "-O",
            "--ignore-missing-info",
            "--warnings=0",
            *(f"-l{folder}" for folder in sorted({str(p.parent) for p in elves})),
            *(f"-e{path}" for path, names in needs.items() if names & missing),
            cwd=Path(scratch),
        )
    line = next(x for x in out.splitlines() if x.startswith("shlibs:Depends="))
    versioned = {item.split()[0]: item for item in line.split("=", 1)[1].split(", ")}
    return ", ".join(versioned.get(package, package) for package in sorted(packages))


def _system_libraries() -> dict[str, str]:
    """soname -> path, for the native architecture's libraries ``ldconfig`` knows."""
    found: dict[str, str] = {}
    for line in _run("ldconfig", "-p").splitlines()[1:]:
        name, _, rest = line.strip().partition(" (")
        if "x86-64" in rest or "64bit" in rest or "AArch64" in rest:
            found.setdefault(name, rest.rsplit("=> ", 1)[1])
    return found


def _package_of(path: str) -> str:
    """The Debian package that installed ``path`` (following /lib -> /usr/lib links)."""
    candidates = [path, os.path.realpath(path)]
    candidates += [c.removeprefix("/usr") for c in candidates if c.startswith("/usr/")]
    for candidate in candidates:
        result = subprocess.run(
            ["dpkg", "-S", candidate], capture_output=True, text=True, check=False
        )
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    raise SystemExit(f"deb: no Debian package holds {path}")


def _write(path: Path, text: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    path.chmod(mode)


def _gzip(path: Path, data: bytes) -> None:
    """gzip -9n: no name or time stamp inside, so the package builds the same twice."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as packed:
        packed.write(data)
    path.chmod(0o644)


def _changelog(version: str) -> str:
    """Debian's changelog for this version (the project's history is in its repository)."""
    moment = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    return (
        f"standby ({version}) unstable; urgency=medium\n\n"
        f"  * Standby {version}, packaged from its one-folder bundle.\n\n"
        f" -- {MAINTAINER}  {formatdate(moment)}\n"
    )


def _size_kib(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*")) // 1024 + 1


def build(bundle: Path, version: str, icon_png: Path, icon_svg: Path, out_dir: Path) -> Path:
    arch = _run("dpkg", "--print-architecture").strip()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "standby"
        # The bundle, with its folders and files at the modes Debian expects.
        shutil.copytree(bundle, root / PREFIX, symlinks=True)
        for extra in ("install.sh", "standby.desktop", "standby.png"):  # the archive's
            (root / PREFIX / extra).unlink(missing_ok=True)
        for path in (root / PREFIX).rglob("*"):
            if path.is_file() and not path.is_symlink():  # only the program runs
                path.chmod(0o755 if path.name == "standby" else 0o644)
        usr = root / "usr"
        (usr / "bin").mkdir(parents=True)
        for command in ("standby", "standby-server"):
            (usr / "bin" / command).symlink_to(f"/{PREFIX}/{command}")
        entry = (HERE / "standby.desktop").read_text().replace("Exec=@EXEC@", "Exec=standby")
        _write(usr / "share" / "applications" / "standby.desktop", entry)
        _write(usr / "share/icons/hicolor/256x256/apps/standby.png", icon_png.read_bytes())
        _write(usr / "share/icons/hicolor/scalable/apps/standby.svg", icon_svg.read_bytes())
        doc = usr / "share" / "doc" / "standby"
        _write(doc / "copyright", (HERE / "debian" / "copyright").read_text())
        _gzip(doc / "changelog.gz", _changelog(version).encode())
        for page in ("standby.1", "standby-server.1"):
            man = (HERE / "debian" / page).read_bytes()
            _gzip(usr / "share" / "man" / "man1" / f"{page}.gz", man)
        for folder in [root, *root.rglob("*")]:  # every folder, the bundle's too
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)

        control = root / "DEBIAN"
        control.mkdir(mode=0o755)
        _write(
            control / "control",
            f"Package: standby\n"
            f"Version: {version}\n"
            f"Architecture: {arch}\n"
            f"Maintainer: {MAINTAINER}\n"
            f"Installed-Size: {_size_kib(root)}\n"
            f"Depends: {depends(root / PREFIX)}\n"
            f"Section: utils\n"
            f"Priority: optional\n" + DESCRIPTION,
        )
        _write(control / "postrm", (HERE / "debian" / "postrm").read_text(), 0o755)

        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"standby_{version}_{arch}.deb"
        _run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target))
    return target
