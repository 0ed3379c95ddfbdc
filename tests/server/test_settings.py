"""The server's settings, one typed object: from ``serve``'s options, else the environment,
else the defaults; handed to uvicorn's workers through the environment and read back the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.server.cli import build_parser
from app.server.serving import settings_of
from app.server.settings import ServerSettings

DB = "sqlite:////tmp/standby-settings-test.db"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ServerSettings.model_fields:
        monkeypatch.delenv(f"STANDBY_{name.upper()}", raising=False)


def _serve(*options: str) -> ServerSettings:
    args = build_parser().parse_args(["serve", "--db", DB, *options])
    return settings_of(args)


def test_the_defaults() -> None:
    settings = _serve()
    assert settings.refusals_per_minute == 120
    assert (settings.header_seconds, settings.body_seconds) == (10, 10)
    assert settings.db_wait_seconds == 15
    assert settings.audit_retention_seconds == 180 * 86400
    assert settings.trusted_proxies == ()
    assert (settings.smtp_url, settings.public_url) == (None, None)
    assert not settings.server_docs
    assert not settings.no_console


def test_options_win_over_the_environment_which_wins_over_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STANDBY_REFUSALS_PER_MINUTE", "30")
    monkeypatch.setenv("STANDBY_TRUSTED_PROXIES", "10.0.0.1, 10.0.1.0/24")
    monkeypatch.setenv("STANDBY_HEADER_SECONDS", "")  # empty: unset
    from_environment = _serve()
    assert from_environment.refusals_per_minute == 30
    assert from_environment.trusted_proxies == ("10.0.0.1", "10.0.1.0/24")
    assert from_environment.header_seconds == 10
    given = _serve("--refusals-per-minute", "7", "--trusted-proxy", "192.0.2.1", "--no-console")
    assert given.refusals_per_minute == 7
    assert given.trusted_proxies == ("192.0.2.1/32",)
    assert given.no_console


def test_a_mail_server_brings_the_address_its_links_point_at() -> None:
    settings = _serve("--smtp", "smtp://127.0.0.1:2525", "--port", "9000")
    assert settings.smtp_url == "smtp://127.0.0.1:2525"
    assert settings.public_url == "http://127.0.0.1:9000"
    chosen = _serve("--smtp", "smtp://127.0.0.1:2525", "--public-url", "https://lic.example")
    assert chosen.public_url == "https://lic.example"


def test_a_worker_reads_back_what_serve_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    given = _serve(
        "--refusals-per-minute",
        "9",
        "--trusted-proxy",
        "192.0.2.1",
        "--trusted-proxy",
        "2001:db8::/64",
        "--docs",
        "--body-timeout",
        "3",
        "--smtp",
        "smtp://127.0.0.1:2525",
    )
    for name, value in given.environment().items():
        monkeypatch.setenv(name, value)
    assert ServerSettings() == given


def test_a_variable_that_cannot_be_its_setting_is_named_in_one_line(tmp_path: Path) -> None:
    environment = {**os.environ, "STANDBY_REFUSALS_PER_MINUTE": "many"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.server",
            "codes",
            "issue",
            "--db",
            f"sqlite:///{tmp_path}/a.db",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("standby-server: error: STANDBY_REFUSALS_PER_MINUTE: ")
    assert "integer" in line
