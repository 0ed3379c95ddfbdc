"""What a stranger sending wrong codes writes to the audit log: bytes per 10,000 refusals.

Run it from the project root::

    python bench/refusal_flood.py [--requests 10000]

It starts the server (one worker, a fresh SQLite file), sends the requests one after another
on one kept-alive connection from 127.0.0.1, each an activation of a well-formed code that
does not exist, then stops the server and reports what the answers were, the audit rows
written, and how much the database file grew (SQLite folds its write-ahead log back into the
file when the server closes it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from server import HOST, database, issue_codes, running_server
from sqlalchemy import create_engine, text

from app.device_proof import DeviceKey

UNKNOWN = "0" * 20  # well formed: the check symbol of zeros is 0


def _audit_rows(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one())
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args(argv)
    answers: Counter[int] = Counter()
    with tempfile.TemporaryDirectory(prefix="standby-refusals-") as folder_name:
        folder = Path(folder_name)
        with database(None, folder) as db_url:
            issue_codes(db_url, "volume")
            db_file = folder / "bench.db"
            with running_server(db_url, 1, folder) as server:
                size_before = db_file.stat().st_size
                rows_before = _audit_rows(db_url)
                port = int(server.base_url.rsplit(":", 1)[1])
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                body = json.dumps(
                    {"code": UNKNOWN, "device_id": "stranger-0001", "app_version": "1.0.0"}
                ).encode()
                key = DeviceKey.generate()  # signed: the refusals reach the handler
                for _ in range(args.requests):
                    proof = key.headers("POST", "/api/v1/activations", body, int(time.time()))
                    connection.request(
                        "POST",
                        "/api/v1/activations",
                        body=body,
                        headers={"Content-Type": "application/json", **proof},
                    )
                    response = connection.getresponse()
                    response.read()
                    answers[response.status] += 1
                connection.close()
            rows = _audit_rows(db_url) - rows_before
            grown = db_file.stat().st_size - size_before
    print(f"answers: {dict(sorted(answers.items()))}")
    print(f"audit rows written: {rows}; database file grew {grown / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
