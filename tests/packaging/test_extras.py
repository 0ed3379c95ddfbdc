"""A desktop install carries the desktop's dependencies: the PostgreSQL driver comes only with
the ``server`` extra, and a ``standby-server`` without it says how to get it."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import requires

from packaging.requirements import Requirement


def test_the_postgresql_driver_comes_with_the_server_extra_only() -> None:
    declared = [Requirement(line) for line in requires("standby") or []]
    driver = [req for req in declared if req.name == "psycopg"]
    assert driver, "the server extra names the PostgreSQL driver"
    for req in driver:
        assert req.marker is not None
        assert req.marker.evaluate({"extra": "server"})
        assert not req.marker.evaluate({"extra": ""})  # a plain `pip install .` leaves it out


def test_without_the_driver_standby_server_says_how_to_get_it() -> None:
    # As in an install without the extra: importing the driver fails.
    script = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from app.server.cli import main\n"
        "sys.exit(main(['codes', 'show', '0' * 20, '--db', "
        "'postgresql+psycopg://standby@127.0.0.1:1/standby']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1, done.stderr
    assert "has no PostgreSQL driver" in done.stderr
    assert "pip install 'standby[server]'" in done.stderr
    assert "Traceback" not in done.stderr
