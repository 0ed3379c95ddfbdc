"""The login entry each platform's session reads: what it runs, where it lies, and that
turning it off leaves nothing behind. The home folder is always a temporary one.
"""

from __future__ import annotations

import configparser
import os
import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.autostart import Autostart, AutostartError, launch_command
from tests.needs import need

WINDOWS_RUN = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\Standby"


class FakeRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def unquote_exec(value: str) -> list[str]:
    """The argv a desktop runs for an Exec value, read as the Desktop Entry spec says."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    text, index = "", 0
    while index < len(value):  # first the string value's escapes
        if value[index] == "\\":
            text += escapes[value[index + 1]]
            index += 2
        else:
            text += value[index]
            index += 1
    argv: list[str] = []
    current: str | None = None
    quoted = escaped = False
    for char in text:
        if escaped:
            assert char in '"`$\\', f"\\{char} is no escape within quotes"
            current = (current or "") + char
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
            current = current or ""
        elif char == " " and not quoted:
            if current is not None:
                argv.append(current)
            current = None
        else:
            assert quoted or char not in " \t\n'\\><~|&;$*?#()`", f"{char!r} must be quoted"
            current = (current or "") + char
    assert not quoted, "unterminated quote"
    if current is not None:
        argv.append(current)
    for argument in argv:
        assert "%" not in argument.replace("%%", ""), f"field code in {argument!r}"
    return [argument.replace("%%", "%") for argument in argv]


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """An installed ``standby`` in a folder whose name has a space."""
    path = tmp_path / "Program Files" / "standby"
    path.parent.mkdir()
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def xdg(tmp_path: Path, command: list[str]) -> Autostart:
    config = tmp_path / "config"
    return Autostart(command, platform="linux", home=tmp_path, env={"XDG_CONFIG_HOME": str(config)})


def test_xdg_entry_runs_the_command_with_awkward_paths(tmp_path: Path, program: Path) -> None:
    data_dir = tmp_path / '100% mine "$HOME" `x` \\ (a)'
    command = [str(program), "--background", "--data-dir", str(data_dir)]
    autostart = xdg(tmp_path, command)
    autostart.enable()

    entry_path = tmp_path / "config" / "autostart" / "standby.desktop"
    assert autostart.location == str(entry_path)
    entry = read_entry(entry_path)
    assert unquote_exec(entry["Exec"]) == command
    assert entry["TryExec"] == str(program)
    assert os.path.isabs(entry["TryExec"])
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Standby"
    assert entry["Comment"]
    assert entry["Icon"] == "standby"
    assert entry["Terminal"] == "false"
    assert entry["NoDisplay"] == "true"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert stat.S_IMODE(entry_path.stat().st_mode) == 0o644
    assert autostart.enabled()
    assert autostart.is_current()


def test_xdg_exec_quotes_spaces_and_doubles_percent(tmp_path: Path) -> None:
    command = ["/opt/my apps/standby", "--background", "--data-dir", "/home/u/50% off"]
    xdg(tmp_path, command).enable()
    entry = read_entry(tmp_path / "config" / "autostart" / "standby.desktop")
    expected = '"/opt/my apps/standby" --background --data-dir "/home/u/50%% off"'
    assert entry["Exec"] == expected
    assert entry["TryExec"] == "/opt/my apps/standby"


def test_xdg_entry_passes_desktop_file_validate(tmp_path: Path, program: Path) -> None:
    validate = shutil.which("desktop-file-validate")
    need("desktop-file-utils", None if validate else "Debian: apt-get install desktop-file-utils")
    assert validate is not None
    data_dir = tmp_path / "50% data & more"
    xdg(tmp_path, [str(program), "--background", "--data-dir", str(data_dir)]).enable()
    result = subprocess.run(
        [validate, str(tmp_path / "config" / "autostart" / "standby.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_xdg_default_folder_without_xdg_config_home(tmp_path: Path) -> None:
    for env in ({}, {"XDG_CONFIG_HOME": ""}, {"XDG_CONFIG_HOME": "relative/config"}):
        autostart = Autostart(["/usr/bin/standby"], platform="linux", home=tmp_path, env=env)
        assert autostart.location == str(tmp_path / ".config" / "autostart" / "standby.desktop")
    autostart.enable()
    assert (tmp_path / ".config" / "autostart" / "standby.desktop").is_file()


def test_xdg_enable_replaces_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    old = xdg(tmp_path, ["/usr/bin/standby", "--background"])
    old.enable()
    new = xdg(tmp_path, ["/usr/bin/standby", "--background", "--server", "https://example.test"])
    assert new.enabled()
    assert not new.is_current()

    previous = os.umask(0o077)
    try:
        new.enable()
    finally:
        os.umask(previous)

    folder = tmp_path / "config" / "autostart"
    assert [path.name for path in folder.iterdir()] == ["standby.desktop"]
    assert stat.S_IMODE((folder / "standby.desktop").stat().st_mode) == 0o644
    assert new.is_current()
    assert not old.is_current()


def test_xdg_enable_failure_names_the_place(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("a file where a folder should be")
    autostart = xdg(tmp_path, ["/usr/bin/standby", "--background"])
    with pytest.raises(AutostartError, match=r"could not write .*standby\.desktop"):
        autostart.enable()
    assert [path.name for path in tmp_path.iterdir()] == ["config"]


@pytest.mark.parametrize("line", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_xdg_entry_turned_off_by_the_session_is_not_enabled(tmp_path: Path, line: str) -> None:
    autostart = xdg(tmp_path, ["/usr/bin/standby", "--background"])
    autostart.enable()
    path = Path(autostart.location)
    text = path.read_text().replace("X-GNOME-Autostart-enabled=true\n", "")
    path.write_text(text + line + "\n")
    assert not autostart.enabled()
    assert not autostart.is_current()
    autostart.enable()
    assert autostart.is_current()


def test_xdg_disable_removes_the_entry_and_may_repeat(tmp_path: Path) -> None:
    autostart = xdg(tmp_path, ["/usr/bin/standby", "--background"])
    autostart.disable()
    autostart.enable()
    autostart.disable()
    assert not Path(autostart.location).exists()
    assert not autostart.enabled()
    assert not autostart.is_current()
    autostart.disable()


def test_windows_run_value_is_the_quoted_command_line() -> None:
    run_key = FakeRunKey()
    command = [r"C:\Program Files\Standby\standby.exe", "--background"]
    command += ["--data-dir", r"D:\My Data\standby"]
    autostart = Autostart(command, platform="win32", run_key=run_key)
    assert not autostart.enabled()

    autostart.enable()

    assert autostart.location == WINDOWS_RUN
    assert run_key.values == {"Standby": subprocess.list2cmdline(command)}
    assert run_key.values["Standby"] == (
        r'"C:\Program Files\Standby\standby.exe" --background --data-dir "D:\My Data\standby"'
    )
    assert autostart.enabled()
    assert autostart.is_current()
    assert not Autostart(command[:2], platform="win32", run_key=run_key).is_current()


def test_windows_disable_deletes_the_value() -> None:
    run_key = FakeRunKey()
    command = [r"C:\Standby\standby.exe", "--background"]
    autostart = Autostart(command, platform="win32", run_key=run_key)
    autostart.enable()
    autostart.disable()
    assert run_key.values == {}
    assert not autostart.enabled()
    autostart.disable()


def test_macos_launch_agent(tmp_path: Path) -> None:
    command = ["/Applications/Standby.app/Contents/MacOS/standby", "--background"]
    command += ["--data-dir", "/Users/me/My Data"]
    autostart = Autostart(command, platform="darwin", home=tmp_path, env={})
    autostart.enable()

    path = tmp_path / "Library" / "LaunchAgents" / "org.standby.agent.plist"
    assert autostart.location == str(path)
    with path.open("rb") as file:
        agent = plistlib.load(file)
    assert agent == {
        "Label": "org.standby.agent",
        "ProgramArguments": command,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
        "KeepAlive": False,
    }
    assert [entry.name for entry in path.parent.iterdir()] == [path.name]
    assert autostart.is_current()
    assert not Autostart(command[:2], platform="darwin", home=tmp_path).is_current()

    autostart.disable()
    assert not path.exists()
    assert not autostart.enabled()
    autostart.disable()


def fake_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.delattr(sys, "frozen", raising=False)
    return python


def test_launch_command_uses_the_console_script_beside_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = fake_python(tmp_path, monkeypatch)
    script = python.parent / "standby"
    script.write_text("")
    monkeypatch.chdir(tmp_path)

    argv = launch_command(data_dir=Path("my data"), server_url="https://licenses.example")

    assert argv == [
        str(script),
        "--background",
        "--data-dir",
        str(tmp_path / "my data"),
        "--server",
        "https://licenses.example",
    ]


def test_launch_command_without_a_script_runs_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = fake_python(tmp_path, monkeypatch)
    assert launch_command() == [str(python), "-m", "app", "--background"]


def test_launch_command_of_a_frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = fake_python(tmp_path, monkeypatch).with_name("standby")
    monkeypatch.setattr(sys, "executable", str(bundle))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert launch_command(data_dir=tmp_path) == [
        str(bundle),
        "--background",
        "--data-dir",
        str(tmp_path),
    ]
