"""``standby-server`` end to end: issue, show, block, accounts, and its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app.domain import codes
from app.server.secrets import verify_password
from app.server.tables import ACCOUNTS
from tests.server.helpers import activate, error_of, new_device
from tests.servers import running_server, services_for


def cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def one_line_error(result: subprocess.CompletedProcess[str], status: int, text: str) -> None:
    assert result.returncode == status, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # no usage, no traceback: the error alone
    assert lines[0].startswith("standby-server: error: "), result.stderr
    assert text in lines[0], result.stderr
    assert result.stdout == "", result.stdout


def test_issue_show_activate_block(fresh_sqlite_url: str) -> None:
    issued = cli(
        "codes",
        "issue",
        "--db",
        fresh_sqlite_url,
        "--type",
        "commercial",
        "--term",
        "30d",
        "--devices",
        "3",
        "--valid-until",
        "2099-01-01T00:00:00+00:00",
        "--app-versions",
        ">=1.0,<3",
        "--requires-account",
        "--count",
        "4",
    )
    assert issued.returncode == 0, issued.stderr
    lines = issued.stdout.split()
    assert len(lines) == 4
    assert all(codes.format_code(line) == line for line in lines)
    shown = json.loads(cli("codes", "show", lines[0].lower(), "--db", fresh_sqlite_url).stdout)
    assert shown["type"] == "commercial"
    assert shown["term_seconds"] == 30 * 86400
    assert shown["max_devices"] == 3
    assert shown["devices_used"] == 0
    assert shown["valid_until"].startswith("2099-01-01T00:00:00")
    assert shown["first_activated_at"] is None
    assert shown["expires_at"] is None
    assert shown["blocked"] is False
    assert shown["requires_account"] is True
    assert shown["app_versions"] == ">=1.0,<3"

    [plain] = cli("codes", "issue", "--db", fresh_sqlite_url, "--term", "1h").stdout.split()
    with running_server(fresh_sqlite_url) as server:
        assert activate(server, plain, new_device()).status_code == 201
        after = json.loads(cli("codes", "show", plain, "--db", fresh_sqlite_url).stdout)
        assert after["devices_used"] == 1
        assert after["first_activated_at"] is not None
        assert after["expires_at"] is not None
        blocked = cli("codes", "block", plain, "--db", fresh_sqlite_url)
        assert blocked.returncode == 0, blocked.stderr
        assert blocked.stdout == f"code {codes.mask(plain)} blocked\n"  # says what it did
        assert plain[:17] not in blocked.stdout  # only the masked code is printed
        assert blocked.stderr == ""
        assert json.loads(cli("codes", "show", plain, "--db", fresh_sqlite_url).stdout)["blocked"]
        assert error_of(activate(server, plain, new_device())) == "code_blocked"
    again = cli("codes", "block", plain, "--db", fresh_sqlite_url)
    assert again.returncode == 0
    assert "blocked already" in again.stderr
    assert plain[:17] not in again.stderr  # only the masked code is printed


def test_the_database_url_can_come_from_the_environment(fresh_sqlite_url: str) -> None:
    import os

    env = {**os.environ, "STANDBY_DATABASE_URL": fresh_sqlite_url}
    issued = cli("codes", "issue", env=env)
    assert issued.returncode == 0
    assert codes.is_valid(issued.stdout.strip())


def test_accounts(fresh_sqlite_url: str) -> None:
    created = cli(
        "accounts",
        "create",
        "Ann@Example.com",
        "--db",
        fresh_sqlite_url,
        "--password-stdin",
        stdin="long enough password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "ann@example.com" in created.stdout
    assert "long enough" not in created.stdout + created.stderr
    duplicate = cli(
        "accounts",
        "create",
        "ann@example.com",
        "--db",
        fresh_sqlite_url,
        "--password-stdin",
        stdin="another password\n",
    )
    one_line_error(duplicate, 1, "exists already")
    # Look-alikes of the same address are the same account: fullwidth letters, a fully
    # qualified domain with its trailing dot.
    for look_alike in ("\uff41\uff4e\uff4e@example.com", "ann@example.com.", "ANN@EXAMPLE.COM."):
        again = cli(
            "accounts",
            "create",
            look_alike,
            "--db",
            fresh_sqlite_url,
            "--password-stdin",
            stdin="another password\n",
        )
        one_line_error(again, 1, "an account for ann@example.com exists already")
    # The operator sets a new password (an owner who lost theirs, on a server with no mail).
    changed = cli(
        "accounts",
        "password",
        "ANN@example.com",
        "--db",
        fresh_sqlite_url,
        "--password-stdin",
        stdin="a new long password\n",
    )
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.strip() == "password of ann@example.com set"
    with services_for(fresh_sqlite_url) as services, services.store.connection() as connection:
        stored = connection.execute(
            select(ACCOUNTS.c.password_hash).where(ACCOUNTS.c.email == "ann@example.com")
        ).scalar_one()
    assert verify_password("a new long password", stored)
    nobody = cli(
        "accounts",
        "password",
        "nobody@example.com",
        "--db",
        fresh_sqlite_url,
        "--password-stdin",
        stdin="a new long password\n",
    )
    one_line_error(nobody, 1, "there is no account for nobody@example.com")
    short = cli(
        "accounts",
        "create",
        "bob@example.com",
        "--db",
        fresh_sqlite_url,
        "--password-stdin",
        stdin="short\n",
    )
    one_line_error(short, 1, "at least 8 characters")
    not_email = cli(
        "accounts",
        "create",
        "bob",
        "--db",
        fresh_sqlite_url,
        "--password-stdin",
        stdin="long enough password\n",
    )
    one_line_error(not_email, 1, "not an e-mail address")


def test_bad_input_gives_one_line_and_a_non_zero_exit(
    fresh_sqlite_url: str, tmp_path: Path
) -> None:
    db = ["--db", fresh_sqlite_url]
    one_line_error(cli("codes", "issue", *db, "--term", "12x"), 2, "invalid duration")
    one_line_error(cli("codes", "issue", *db, "--term", "0d"), 2, "longer than zero")
    one_line_error(cli("codes", "issue", *db, "--term", "36501d"), 2, "at most 36500d")
    far = "9999-12-31T23:59:59-01:00"
    one_line_error(cli("codes", "issue", *db, "--valid-until", far), 2, "out of range")
    one_line_error(cli("codes", "issue", *db, "--valid-until", "2900-01-01"), 1, "within 36500")
    one_line_error(cli("codes", "issue", *db, "--devices", "0"), 2, "at least 1")
    one_line_error(cli("codes", "issue", *db, "--count", "100001"), 2, "at most 100000")
    one_line_error(cli("codes", "issue", *db, "--type", "lifetime"), 2, "invalid choice")
    one_line_error(cli("codes", "issue", *db, "--valid-until", "tomorrow"), 2, "invalid date")
    one_line_error(cli("codes", "issue", *db, "--app-versions", "newest"), 2, "specifier")
    one_line_error(cli("codes", "issue", "--db", "mysql://x/y"), 2, "unsupported database")
    one_line_error(cli("codes", "issue", "--db", "not a url"), 2, "invalid database URL")
    missing_dir = f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}"
    one_line_error(cli("codes", "issue", "--db", missing_dir), 2, "does not exist")
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    one_line_error(cli("codes", "issue", "--db", unreachable), 1, "cannot use the database")
    one_line_error(cli("codes", "show", "ABCDE", *db), 2, "invalid code")
    unknown = "0" * 20
    one_line_error(cli("codes", "show", unknown, *db), 1, "does not exist")
    one_line_error(cli("codes", "block", unknown, *db), 1, "does not exist")
    one_line_error(cli("serve", *db, "--port", "70000"), 2, "out of range")
    one_line_error(cli("serve", *db, "--workers", "zero"), 2, "invalid number")


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("standby-server ")


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_values_no_database_could_keep_are_refused_alike_on_both(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Both databases accept the same codes: what one of them could not store is refused
    by the command, in one line, before either is asked."""
    url = request.getfixturevalue("fresh_sqlite_url" if database == "sqlite" else "pg_url")
    for args, says in [
        (("--devices", "99999999999999999999"), "at most 1000000000 devices"),
        (("--devices", "3000000000"), "at most 1000000000 devices"),
        (("--devices", "1000000001"), "at most 1000000000 devices"),  # one past the most
        (("--app-versions", ">=1.0," * 59 + ">=1.0"), "at most 200"),
        (("--app-versions", ">=1.0," * 33 + "<10"), "at most 200"),  # 201 characters
        (("--valid-until", "1970-01-01"), "has passed"),
    ]:
        one_line_error(cli("codes", "issue", "--db", url, *args), 2, says)
    # The largest values that are accepted are stored and shown as given.
    spec = ">=1.0," * 33 + "<9"  # 200 characters
    assert len(spec) == 200
    issued = cli("codes", "issue", "--db", url, "--devices", "1000000000", "--app-versions", spec)
    assert issued.returncode == 0, issued.stderr
    shown = json.loads(cli("codes", "show", issued.stdout.strip(), "--db", url).stdout)
    assert (shown["max_devices"], shown["app_versions"]) == (1_000_000_000, spec)


def test_a_file_that_is_not_a_database_is_said_in_one_line(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list: milk, bread, eggs\n" * 100)
    result = cli("codes", "issue", "--db", f"sqlite:///{not_a_database}")
    one_line_error(result, 1, "file is not a database")


def test_issue_help_shows_the_defaults() -> None:
    result = cli("codes", "issue", "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # as argparse wraps it, on one line
    for option, default in [
        ("--type", "(default commercial)"),
        ("--term", "(default 365d)"),
        ("--devices", "(default 1)"),
        ("--valid-until", "(default now + the term + 365d, at most now + 36500d:"),
        ("--count", "(default 1)"),
    ]:
        described = text.split(f" {option} ", 1)[1].split(" --", 1)[0]
        assert default in described, (option, described)


def test_codes_issued_with_the_defaults_can_be_reserves_of_each_other(
    fresh_sqlite_url: str,
) -> None:
    """A year's code issued with the defaults can be saved as the reserve of a license from
    another one, issued the same day: it can still be activated when that license ends."""
    db = ("--db", fresh_sqlite_url)
    [first] = cli("codes", "issue", *db).stdout.split()
    [second] = cli("codes", "issue", *db).stdout.split()
    shown = json.loads(cli("codes", "show", second, *db).stdout)
    assert shown["term_seconds"] == 365 * 86400
    valid_until = datetime.fromisoformat(shown["valid_until"])
    assert valid_until > datetime.now(UTC) + timedelta(days=729)
    # What the old default (a year from now) gave, for comparison: refused as a reserve.
    year = (datetime.now(UTC) + timedelta(days=365)).isoformat()
    [short] = cli("codes", "issue", *db, "--valid-until", year).stdout.split()
    with running_server(fresh_sqlite_url) as server:
        device = new_device()
        activated = activate(server, first, device)
        assert activated.status_code == 201, activated.text
        current = activated.json()["license"]

        def reserve_check(code: str) -> requests.Response:
            body = {"code": code, "device_id": device, "app_version": "1.0.0"}
            return server.post("/reserve-checks", body | {"current_license": current})

        accepted = reserve_check(second)
        assert accepted.status_code == 200, accepted.text
        answer = accepted.json()
        assert answer["action"] == "reserve"
        takes_over = datetime.fromisoformat(answer["takes_over_at"])
        assert datetime.fromisoformat(answer["expires_at"]) == takes_over + timedelta(days=365)
        assert error_of(reserve_check(short)) == "not_later_than_current"


def test_bad_arguments_are_one_line_with_status_2(fresh_sqlite_url: str) -> None:
    """argparse's errors too: one line naming the problem and where the usage is."""
    db = ("--db", fresh_sqlite_url)
    for args, says in [
        ((), "the following arguments are required: COMMAND; see standby-server --help"),
        (("codes",), "required: ACTION; see standby-server codes --help"),
        (("codes", "issue", *db, "--colour", "red"), "unrecognized arguments: --colour red"),
        (("codes", "issue", *db, "--term"), "argument --term: expected one argument"),
        (("codes", "issue", *db, "--term", "12x"), "see standby-server codes issue --help"),
        (("codes", "block", *db), "required: CODE; see standby-server codes block --help"),
        (("serve", *db, "--port", "x"), "invalid port 'x'; see standby-server serve --help"),
    ]:
        one_line_error(cli(*args), 2, says)
