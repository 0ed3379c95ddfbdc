"""``packaging/standby-server.service``: a unit systemd accepts, hardened, whose command the
installed ``standby-server`` runs as written, behind the shipped nginx snippet's upstream."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app.server.cli import build_parser
from tests.needs import need, systemd_analyze_missing
from tests.servers import free_port

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
UNIT = PACKAGING / "standby-server.service"
#: Where the unit expects ``pip install standby`` in a virtual environment to have put it.
INSTALLED = "/opt/standby-server/bin/standby-server"
#: This checkout's ``standby-server``, installed in the test environment.
OURS = Path(sys.executable).with_name("standby-server")


class _Unit(configparser.RawConfigParser):
    """A unit file: sections and keys as written (a repeated key keeps its last value)."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


@pytest.fixture(scope="module")
def unit() -> _Unit:
    parsed = _Unit(strict=False, interpolation=None)
    parsed.read_string(UNIT.read_text())
    return parsed


def _exec_start(unit: _Unit) -> list[str]:
    return shlex.split(unit["Service"]["ExecStart"])


def test_systemd_accepts_the_unit_and_rates_it_well_hardened(tmp_path: Path) -> None:
    need("systemd-analyze", systemd_analyze_missing())
    # systemd checks that the command exists: this checkout's in place of /opt's.
    text = UNIT.read_text()
    assert text.count(INSTALLED) == 1
    copy = tmp_path / UNIT.name
    copy.write_text(text.replace(INSTALLED, str(OURS)))

    verified = subprocess.run(
        ["systemd-analyze", "verify", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    # verify only warns about unknown keys and bad values; none is allowed.
    assert [line for line in verified.stderr.splitlines() if UNIT.name in line] == []

    # "OK" is below 2.0 on systemd's 0-10 exposure scale; --threshold is in tenths.
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--threshold=20", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert security.returncode == 0, security.stdout[-2000:] + security.stderr
    assert "Overall exposure level" in security.stdout


def test_exec_start_is_a_serve_command_standby_server_accepts(unit: _Unit) -> None:
    command = _exec_start(unit)
    assert command[0] == INSTALLED
    assert command[1] == "serve"
    helped = subprocess.run(
        [str(OURS), "serve", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    offered = set(re.findall(r"--[a-z][a-z-]*", helped.stdout))
    used = [word for word in command[2:] if word.startswith("--")]
    assert used
    assert [option for option in used if option not in offered] == []
    # And the values parse as the real command parses them.
    args = build_parser().parse_args(command[1:])
    assert args.host == "127.0.0.1"  # only the proxy on this host connects
    assert args.trusted_proxy == ["127.0.0.1/32"]
    assert args.workers >= 1


def test_the_unit_runs_as_its_own_user_with_state_config_and_restarts(unit: _Unit) -> None:
    service = unit["Service"]
    assert service["User"] == "standby"
    assert service["EnvironmentFile"] == "-/etc/standby/server.env"  # optional
    assert service["StateDirectory"] == "standby-server"
    assert service["Environment"] == "STANDBY_SECRET_FILE=%S/standby-server/server.secret"
    assert service["Restart"] == "on-failure"
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_shipped_proxy_forwards_to_the_port_the_unit_listens_on(unit: _Unit) -> None:
    args = build_parser().parse_args(_exec_start(unit)[1:])
    snippet = (PACKAGING / "nginx-standby.conf").read_text()
    assert f"server {args.host}:{args.port};" in snippet


@pytest.fixture
def state_directory(tmp_path: Path) -> Path:
    """What systemd makes of StateDirectory=standby-server, under a temporary %S."""
    folder = tmp_path / "state" / "standby-server"
    folder.mkdir(parents=True, mode=0o700)
    return folder


def test_the_command_serves_with_the_units_environment(unit: _Unit, state_directory: Path) -> None:
    """Run as systemd would: the unit's Environment= (%S its state root), the database URL
    from the environment file, no --db; the server answers and keeps its secret file in
    its state directory."""
    name, _, value = unit["Service"]["Environment"].partition("=")
    # None of the test session's STANDBY_* settings: only what the unit and its file give.
    environment = {key: val for key, val in os.environ.items() if not key.startswith("STANDBY_")}
    environment[name] = value.replace("%S", str(state_directory.parent))
    environment["STANDBY_DATABASE_URL"] = f"sqlite:///{state_directory / 'standby.db'}"
    port = free_port()
    command = [str(OURS), *_exec_start(unit)[1:]]
    command[command.index("--port") + 1] = str(port)
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the unit's command did not start serving"
                time.sleep(0.05)  # polling a port that is not open yet; no signal to await
        assert answer.json()["status"] == "ok"
        secret = state_directory / "server.secret"
        assert secret.is_file()
        assert secret.stat().st_mode & 0o777 == 0o600
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()
    assert process.returncode == 0  # a clean stop on SIGTERM: no Restart=on-failure loop
