"""Start Standby at login, for this user only: an XDG autostart entry on Linux, a value in
the Run key on Windows, a LaunchAgent on macOS. Stdlib only, so that the command line can
switch it on a machine without a display, and tests can check every platform's entry.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shutil
import subprocess
import sys
import tempfile
import xml.parsers.expat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# winreg exists only on Windows, so it is imported inside the Windows entry's methods.

APP_NAME = "Standby"
LABEL = "org.standby.agent"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
DESKTOP_FILE = "standby.desktop"
#: Characters that the Desktop Entry spec allows in an Exec argument only within quotes.
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


class AutostartError(Exception):
    """The login entry could not be read, written or removed; the message says which."""


class RunKey(Protocol):
    """The values of the per-user Run key: a seam, so that tests need no registry."""

    def get(self, name: str) -> str | None: ...
    def set(self, name: str, value: str) -> None: ...
    def delete(self, name: str) -> None:
        """Remove ``name``; no error when it is absent, as disabling twice is no fault."""


class _RegistryRunKey:
    def get(self, name: str) -> str | None:
        if sys.platform != "win32":
            raise AutostartError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return value if isinstance(value, str) else ""

    def set(self, name: str, value: str) -> None:
        if sys.platform != "win32":
            raise AutostartError("the Windows registry exists only on Windows")
        import winreg

        access = winreg.KEY_SET_VALUE
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, access) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        if sys.platform != "win32":
            raise AutostartError("the Windows registry exists only on Windows")
        import winreg

        with (
            contextlib.suppress(FileNotFoundError),
            winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key,
        ):
            winreg.DeleteValue(key, name)


def launch_command(*, data_dir: Path | None = None, server_url: str | None = None) -> list[str]:
    """The argv that starts this same installation in the tray, from any working folder."""
    if not sys.executable:
        raise AutostartError("cannot tell which program runs Standby (no sys.executable)")
    # Not resolved: a virtualenv's python is a symlink whose target lacks the venv's packages.
    executable = Path(os.path.abspath(sys.executable))
    if getattr(sys, "frozen", False):
        argv = [str(executable)]
    else:
        script = executable.parent / ("standby.exe" if sys.platform == "win32" else "standby")
        argv = [str(script)] if script.is_file() else [str(executable), "-m", "app"]
    argv.append("--background")
    if data_dir is not None:
        argv += ["--data-dir", os.path.abspath(data_dir.expanduser())]
    if server_url is not None:
        argv += ["--server", server_url]
    return argv


@dataclass(frozen=True)
class Target:
    """Which device a start command starts: its data folder and its activation server
    (None: the default folder; the embedded server)."""

    data_dir: str | None
    server_url: str | None

    def same_device(self, other: Target, default_data_dir: Path) -> bool:
        def folder(target: Target) -> str:
            return os.path.abspath(os.path.expanduser(target.data_dir or str(default_data_dir)))

        def server(target: Target) -> str | None:
            return target.server_url.rstrip("/") if target.server_url else None

        return folder(self) == folder(other) and server(self) == server(other)


def target_of(command: list[str]) -> Target:
    """The device ``command`` starts, by its ``--data-dir`` and ``--server``."""

    def value(option: str) -> str | None:
        for index, word in enumerate(command):
            if word == option and index + 1 < len(command):
                return command[index + 1]
            if word.startswith(f"{option}="):
                return word.partition("=")[2]
        return None

    return Target(value("--data-dir"), value("--server"))


def _exec_argument(argument: str) -> str:
    if argument and not _RESERVED.intersection(argument):
        quoted = argument
    else:
        quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in argument) + '"'
    return quoted.replace("%", "%%")


def _string_value(text: str) -> str:
    # The spec unescapes a string value before it unquotes Exec, so quoting's own
    # backslashes are escaped again here: a literal backslash takes four.
    escapes = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return "".join(escapes.get(c, c) for c in text)


def _exec_words(value: str) -> list[str]:
    """An ``Exec`` value (as read from the file) as the arguments it runs: the string
    escapes undone, then the quoting (the reverse of ``_string_value`` and
    ``_exec_argument``)."""
    unescaped, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            unescaped.append({"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(following, following))
        else:
            unescaped.append(char)
    words: list[str] = []
    word: list[str] | None = None
    quoted, chars = False, iter("".join(unescaped))
    for char in chars:
        if quoted and char == "\\":
            (word := word or []).append(next(chars, ""))
        elif char == '"':
            quoted, word = not quoted, word or []
        elif char in " \t" and not quoted:
            if word is not None:
                words.append("".join(word))
            word = None
        else:
            (word := word or []).append(char)
    if word is not None:
        words.append("".join(word))
    return [w.replace("%%", "%") for w in words]


def _command_line_words(line: str) -> list[str]:
    """A Windows command line as its arguments (the reverse of ``list2cmdline``)."""
    words: list[str] = []
    word: list[str] | None = None
    quoted, backslashes = False, 0
    for char in line:
        if char == "\\":
            backslashes += 1
            continue
        if char == '"':
            word = (word or []) + ["\\" * (backslashes // 2)]
            if backslashes % 2:
                word.append('"')
            else:
                quoted = not quoted
            backslashes = 0
            continue
        if backslashes:
            word = (word or []) + ["\\" * backslashes]
            backslashes = 0
        if char in " \t" and not quoted:
            if word is not None:
                words.append("".join(word))
            word = None
        else:
            word = (word or []) + [char]
    if backslashes:
        word = (word or []) + ["\\" * backslashes]
    if word is not None:
        words.append("".join(word))
    return words


def _desktop_entry(text: str) -> dict[str, str]:
    entry: dict[str, str] = {}
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            group = line
        elif group == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            entry.setdefault(key.strip(), value.strip())
    return entry


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` whole: the session may read the folder at any time, even mid-write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A hidden name without the real suffix, so no desktop takes the half-written file.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class Autostart:
    """The one login entry of this user that runs ``command``, on ``platform``."""

    def __init__(
        self,
        command: list[str],
        *,
        platform: str | None = None,
        home: Path | None = None,
        env: Mapping[str, str] | None = None,
        run_key: RunKey | None = None,
    ) -> None:
        if not command:
            raise ValueError("the autostart command is empty")
        self.command = list(command)
        self.platform = platform or sys.platform
        home = Path.home() if home is None else home
        env = os.environ if env is None else env
        self._run_key: RunKey = run_key or _RegistryRunKey()
        if self.platform == "darwin":
            self._path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        else:
            # The spec says to ignore an empty or relative XDG_CONFIG_HOME.
            config = env.get("XDG_CONFIG_HOME", "")
            base = Path(config) if os.path.isabs(config) else home / ".config"
            self._path = base / "autostart" / DESKTOP_FILE

    @property
    def location(self) -> str:
        if self.platform == "win32":
            return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{APP_NAME}"
        return str(self._path)

    def enabled(self) -> bool:
        """True when an entry starts Standby at login, whatever command it runs."""
        return self._state()[0]

    def is_current(self) -> bool:
        """True when the entry is enabled and runs exactly ``command``."""
        return self._state()[1]

    def starts(self) -> Target | None:
        """The device the enabled entry starts; None when no entry is enabled."""
        with self._failing("read"):
            if self.platform == "win32":
                value = self._run_key.get(APP_NAME)
                return None if value is None else target_of(_command_line_words(value))
            try:
                data = self._path.read_bytes()
            except FileNotFoundError:
                return None
        if not self.enabled():
            return None
        if self.platform == "darwin":
            with contextlib.suppress(ValueError, xml.parsers.expat.ExpatError):
                agent = plistlib.loads(data)
                arguments = agent.get("ProgramArguments") if isinstance(agent, dict) else None
                if isinstance(arguments, list):
                    return target_of([str(argument) for argument in arguments])
            return Target(None, None)
        entry = _desktop_entry(data.decode("utf-8", errors="replace"))
        return target_of(_exec_words(entry.get("Exec", "")))

    @property
    def target(self) -> Target:
        """The device ``command`` starts."""
        return target_of(self.command)

    def enable(self) -> None:
        with self._failing("write"):
            if self.platform == "win32":
                self._run_key.set(APP_NAME, subprocess.list2cmdline(self.command))
            else:
                _write_atomically(self._path, self._render())

    def disable(self) -> None:
        with self._failing("remove"):
            if self.platform == "win32":
                self._run_key.delete(APP_NAME)
            else:
                self._path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _failing(self, action: str) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            reason = error.strerror or str(error)
            raise AutostartError(f"could not {action} {self.location}: {reason}") from error

    def _exec_value(self) -> str:
        return _string_value(" ".join(_exec_argument(argument) for argument in self.command))

    def _render(self) -> bytes:
        if self.platform == "darwin":
            agent = {
                "Label": LABEL,
                "ProgramArguments": self.command,
                "RunAtLoad": True,
                "ProcessType": "Interactive",
                "LimitLoadToSessionType": "Aqua",
                "KeepAlive": False,
            }
            return plistlib.dumps(agent)
        program = self.command[0]
        # Absolute, so that the desktop skips the entry once the program is uninstalled.
        found = program if os.path.isabs(program) else shutil.which(program)
        lines = [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={APP_NAME}",
            "Comment=Keeps your license ready with a reserve activation code",
            f"Exec={self._exec_value()}",
            f"TryExec={_string_value(found or os.path.abspath(program))}",
            "Icon=standby",
            "Terminal=false",
            "NoDisplay=true",
            "X-GNOME-Autostart-enabled=true",
        ]
        return ("\n".join(lines) + "\n").encode()

    def _state(self) -> tuple[bool, bool]:
        with self._failing("read"):
            if self.platform == "win32":
                value = self._run_key.get(APP_NAME)
                return value is not None, value == subprocess.list2cmdline(self.command)
            try:
                data = self._path.read_bytes()
            except FileNotFoundError:
                return False, False
        if self.platform == "darwin":
            try:
                agent = plistlib.loads(data)
            except (ValueError, xml.parsers.expat.ExpatError):
                return True, False
            if not isinstance(agent, dict):
                return True, False
            on = agent.get("Disabled") is not True
            return on, on and agent.get("ProgramArguments") == self.command
        entry = _desktop_entry(data.decode("utf-8", errors="replace"))
        # Session managers turn an entry off in place rather than delete it.
        on = entry.get("Hidden") != "true" and entry.get("X-GNOME-Autostart-enabled") != "false"
        return on, on and entry.get("Exec") == self._exec_value()
