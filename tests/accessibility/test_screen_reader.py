"""What a screen reader hears: the real window walked through AT-SPI, as Orca reads it.

Under Xvfb with the accessibility bus (``scenario.py`` brings the window into each state).
Every interactive control has a name; every label's visible text is what a screen reader
reads; and the particulars: the state in words, License details' values, the code field's
problem, the demo codes, the menu button's popup, navigation entries as buttons, and the
outcome of Save announced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.displays import virtual_screen
from tests.needs import desktop_platform_missing, missing_commands, need

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = os.environ.get("STANDBY_ATSPI_PYTHON", "/usr/bin/python3")
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
INSTALL = "Debian: apt-get install xvfb at-spi2-core python3-pyatspi dbus-daemon"
#: Roles a person acts on: each needs a name (or a label that names it).
INTERACTIVE = {
    "push button",
    "push button menu",
    "toggle button",
    "check box",
    "radio button",
    "menu item",
    "page tab",
    "text",
    "entry",
    "password text",
    "combo box",
    "spin button",
    "slider",
    "list item",
    "link",
}


def _missing() -> str | None:
    absent = missing_commands("Xvfb", "dbus-run-session")
    if not any(Path(p).exists() for p in BUS_LAUNCHERS):
        absent.append("at-spi-bus-launcher")
    probe = (
        subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
        if Path(SYSTEM_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        absent.append(f"pyatspi for {SYSTEM_PYTHON}")
    if absent:
        return f"{', '.join(absent)} not found ({INSTALL})"
    return desktop_platform_missing()


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    need("at-spi", _missing())
    with virtual_screen() as name:
        yield name


def _walk(tree: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in tree:
        yield node
        yield from _walk(node["children"])


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["en", "pl"])
def heard(
    request: pytest.FixtureRequest, display: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    out = tmp_path_factory.mktemp(f"atspi-{request.param}")
    launcher = next(p for p in BUS_LAUNCHERS if Path(p).exists())
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "HOME": str(out),
        "XDG_RUNTIME_DIR": str(out),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    command = (
        f"{launcher} --launch-immediately & "
        f'exec "{sys.executable}" -m tests.accessibility.scenario {request.param} "{out}"'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    states = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
    states["language"] = request.param
    return states


STATES = ("profile", "code-typo", "code-refused", "details", "demo")


def _app_nodes(state: dict[str, Any]) -> list[dict[str, Any]]:
    apps = [a for a in state["tree"] if any("mainWindow" in (n["id"] or "") for n in _walk([a]))]
    assert len(apps) == 1, [a["name"] for a in state["tree"]]
    return [n for n in _walk(apps) if "showing" in n["states"]]


@pytest.mark.parametrize("state", STATES)
def test_every_control_has_a_name_and_every_label_reads_as_shown(
    heard: dict[str, Any], state: str
) -> None:
    nodes = _app_nodes(heard[state])
    nameless = [
        n["id"]
        for n in nodes
        if n["role"] in INTERACTIVE
        and not n["name"].strip()
        and not any(kind == "labelled by" for kind, _ in n["relations"])
    ]
    assert nameless == []
    read = {_plain(n["name"]) for n in nodes}
    unread = [
        label["text"] for label in heard[state]["labels"] if _plain(label["text"]) not in read
    ]
    assert unread == []
    # A label with an object name is that very node, named with its text.
    by_object = {label["object"]: label["text"] for label in heard[state]["labels"]}
    for node in nodes:
        name = (node["id"] or "").rsplit(".", 1)[-1]
        if by_object.get(name):
            assert _plain(node["name"]) == _plain(by_object[name]), node["id"]


def _node(state: dict[str, Any], object_name: str) -> dict[str, Any]:
    found = [n for n in _app_nodes(state) if (n["id"] or "").endswith("." + object_name)]
    assert found, object_name
    return found[0]


def test_the_license_state_and_details_read_as_words(heard: dict[str, Any]) -> None:
    active = "Active" if heard["language"] == "en" else "Aktywna"
    assert _node(heard["profile"], "licenseStatusLabel")["name"] == active
    details = heard["details"]
    assert _node(details, "detailsLicenseStateLabel")["name"] == active
    # The reserve code in License details is read as the masked code, not as its title.
    assert _node(details, "detailsReserveCodeLabel")["name"].startswith("•••••-")


def test_the_menu_button_opens_a_popup_and_navigation_entries_are_buttons(
    heard: dict[str, Any],
) -> None:
    profile = heard["profile"]
    assert "has popup" in _node(profile, "licenseMenuButton")["states"]
    entry = _node(profile, "navProfile")
    assert entry["role"] == "push button"
    assert entry["description"] in ("current page", "bieżąca strona")
    assert _node(profile, "navHome")["description"] == ""


def test_the_code_field_says_what_is_wrong_and_the_outcome_is_announced(
    heard: dict[str, Any],
) -> None:
    for state in ("code-typo", "code-refused"):
        error = _node(heard[state], "activationCodeError")["name"]
        assert error
        assert _node(heard[state], "activationCodeEdit")["description"] == error
    refused = _node(heard["code-refused"], "activationCodeError")["name"]
    assert refused in heard["announcements"]


def test_the_demo_codes_are_read_out(heard: dict[str, Any]) -> None:
    demo = heard["demo"]
    shown = [label["text"] for label in demo["labels"] if label["object"].startswith("demoCode_")]
    assert len(shown) == 4
    for key in ("short", "year", "three_devices", "account"):
        assert len(_node(demo, f"demoCode_{key}")["name"].replace("-", "")) == 20
