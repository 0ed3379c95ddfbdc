"""CPU per activation of the write path alone, by batch size, SQLite against PostgreSQL.

Run it from the ``bench`` folder with the project's virtualenv::

    python write_path.py                                  # SQLite only
    python write_path.py --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

No HTTP, no signature checks: one thread hands sets of new-seat activations of one code to
``Activations.activate_set`` on a connection and commits, as the server's writer thread does.
For each batch size it prints the CPU this process spent per activation (Python, SQLAlchemy,
the driver, and SQLite itself) and, for PostgreSQL, the CPU its server processes spent (read
from ``/proc``, so only for a PostgreSQL on this machine, and only right when nothing else
uses it). This is the cost the two databases add to everything else an activation costs,
which is the same for both.
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from server import database, issue_codes

from app.server.db import make_engine
from app.server.services import Services
from app.server.services.activation_sets.batch import Ask

KEY = "k" * 43  # any device key: every device is new


def postgres_cpu_seconds() -> float:
    """CPU seconds used so far by every PostgreSQL process on this machine."""
    ticks = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                if not file.read().startswith(b"postgres"):
                    continue
            with open(f"/proc/{pid}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(db_url: str, sizes: Sequence[int], count: int) -> list[tuple[int, float, float]]:
    """(batch size, this process's CPU, PostgreSQL's CPU), in microseconds per activation."""
    [code] = issue_codes(db_url, "volume")
    services = Services(make_engine(db_url))
    postgres = services.engine.dialect.name == "postgresql"
    rows = []
    try:
        for size in sizes:
            for warm in (True, False):
                own, server, done = time.process_time(), postgres_cpu_seconds(), 0
                while done < (size * 10 if warm else count):
                    asks = [Ask(code, secrets.token_hex(8), "1.0.0", KEY) for _ in range(size)]
                    with services.engine.connect() as connection:
                        outcomes = services.activations.activate_set(connection, asks)
                        connection.commit()
                    if any(isinstance(outcome, Exception) for outcome in outcomes):
                        raise SystemExit(f"an activation was refused: {outcomes}")
                    done += size
            own = (time.process_time() - own) / done * 1e6
            server = (postgres_cpu_seconds() - server) / done * 1e6 if postgres else 0.0
            rows.append((size, own, server))
    finally:
        services.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL URL that may create databases")
    parser.add_argument("--sizes", default="1,3,8,32", help="batch sizes (default 1,3,8,32)")
    parser.add_argument("--count", type=int, default=1500, help="activations per batch size")
    parser.add_argument("--rounds", type=int, default=2, help="runs per database (default 2)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    urls = [None] + ([args.db] if args.db else [])
    print("database    batch  process us/act  postgres us/act  total us/act")
    for _round in range(args.rounds):
        for url in urls:  # alternating, so that both see the same machine
            with tempfile.TemporaryDirectory() as folder, database(url, Path(folder)) as db_url:
                name = "PostgreSQL" if url else "SQLite"
                for size, own, server in measure(db_url, sizes, args.count):
                    print(f"{name:10} {size:6} {own:15.0f} {server:16.0f} {own + server:13.0f}")


if __name__ == "__main__":
    main()
