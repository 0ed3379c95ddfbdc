"""A bounded schemathesis run against the real server, on SQLite and on PostgreSQL: every
operation of /openapi.json, generated inputs valid and not, and no answer may be a server
error or break the documented schema (status code, content type, headers and body)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.server.tables import AUDIT
from tests.servers import running_server, services_for

ROOT = Path(__file__).resolve().parents[2]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def _schemathesis() -> str:
    beside = Path(sys.executable).with_name("schemathesis")
    found = str(beside) if beside.exists() else shutil.which("schemathesis")
    assert found, "schemathesis is one of the test dependencies: pip install -e '.[test]'"
    return found


def test_generated_requests_get_documented_answers_and_no_server_error(
    fresh_db_url: str, tmp_path: Path
) -> None:
    with running_server(fresh_db_url) as server:
        run = subprocess.run(
            [
                _schemathesis(),
                "run",
                f"{server.url}/openapi.json",
                "--checks",
                CHECKS,
                "--max-examples",
                "30",
                "--workers",
                "1",
                "--seed",
                "20261130",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,  # its reports and cache stay out of the project
            env={
                **os.environ,
                "SCHEMATHESIS_HOOKS": "tests.server.fuzz_hooks",
                "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            },
        )
        with services_for(fresh_db_url) as services, services.store.connection() as connection:
            handled = connection.execute(
                select(func.count()).select_from(AUDIT).where(AUDIT.c.device_id.is_not(None))
            ).scalar_one()
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
    # Signed calls got past the device's proof to the handlers (which audit what they do).
    assert handled > 0
