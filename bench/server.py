"""Throughput of the activation server: ``/health`` against new-seat activations, side by side.

Run it from the project root (needs ``wrk``: ``apt-get install -y wrk``)::

    python bench/server.py                      # 16 connections, 2 rounds of 8 s per endpoint
    python bench/server.py --concurrency 32 --seconds 10 --rounds 3

It starts ``python -m app.server serve`` on a fresh SQLite file in a temporary folder (2 uvicorn
workers by default), issues one code with 10,000,000 seats, and drives the server with ``wrk``
on 127.0.0.1 only. The phases alternate (health, activations, health, activations, ...) so both
endpoints see the same machine state; each activation request carries a device id no other
request uses, so every one of them takes a new seat: the row lock on the code, the conditional
update of ``devices_used``, the device, seat and audit inserts, and the Ed25519 signature.

It prints every phase, then the median and the best of the rounds per endpoint (requests per
second, p50 and p99 latency) and the ratio activations/health. Activations must all answer 201;
any other status, and any socket error, is counted and reported. The server is stopped at the
end however the run ends.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from procs import PG_DATABASES, cpu_map, cpu_seconds, worker_pids
from wrk import ACTIVATIONS_PATH, Load, Phase, activation_script, parse_wrk, run_wrk

from app.device_proof import DeviceKey
from app.domain.license import LicenseType
from app.server.arguments import at_least
from app.server.db import make_engine, migrate
from app.server.services import Services

HOST = "127.0.0.1"
HEALTH_PATH = "/api/v1/health"
MAX_DEVICES = 10_000_000
CONSUMER_CODES = 10_000
CONSUMER_SEATS = 5
TERM_SECONDS = 365 * 24 * 3600
STARTUP_SECONDS = 60.0
STOP_SECONDS = 20.0
TARGET_RATIO = 0.5
INSTALL_HINT = (
    "wrk is not installed (or not on PATH). Install it and run again:\n"
    "  Debian/Ubuntu: apt-get install -y wrk\n"
    "  macOS:         brew install wrk"
)

# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


#: The shapes of load: one code of very many seats (an enterprise rolling a volume code out
#: at 9:00: every activation waits on that one code's row), or many codes of a few seats
#: each (consumers), taken in turn.
SHAPES = {"volume": (1, MAX_DEVICES), "consumers": (CONSUMER_CODES, CONSUMER_SEATS)}


def issue_codes(db_url: str, shape: str) -> list[str]:
    """Commercial codes with room for every device the benchmark will ever send."""
    count, seats = SHAPES[shape]
    engine = make_engine(db_url)
    migrate(engine)
    services = Services(engine)
    try:
        return services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL,
            term_seconds=TERM_SECONDS,
            max_devices=seats,
            count=count,
        )
    finally:
        services.close()


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """A fresh database: an SQLite file in ``folder``, or, given a PostgreSQL URL that may
    create databases, a new database on that server (dropped afterwards)."""
    if url is None or url.startswith("sqlite"):
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"standby_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _tail(log: Path, size: int = 3000) -> str:
    try:
        return log.read_text(errors="replace")[-size:]
    except OSError:
        return "(no server log)"


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited ({self.process.returncode}):\n{_tail(self.log)}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:  # noqa: S310 (http to 127.0.0.1)
            return bool(reply.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_server(db_url: str, workers: int, folder: Path) -> Iterator[Server]:
    """The server on a free port of 127.0.0.1; answering /health when the block starts."""
    port = free_port()
    log = folder / "server.log"
    command = [
        sys.executable,
        "-m",
        "app.server",
        "serve",
        "--db",
        db_url,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://{HOST}:{port}", process, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(server.base_url + HEALTH_PATH):
            server.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the server did not answer in {STARTUP_SECONDS:.0f} s:\n{_tail(log)}"
                )
            time.sleep(0.1)  # the port is not open yet; nothing to wait on but time
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def activate_once(server: Server, code: str) -> None:
    """One activation before the load: a wrong setup fails here, with the server's answer."""
    body = json.dumps(
        {"code": code, "device_id": f"bench-probe-{secrets.token_hex(4)}", "app_version": "1.0.0"}
    ).encode()
    proof = DeviceKey.generate().headers("POST", ACTIVATIONS_PATH, body, int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (http to 127.0.0.1)
        server.base_url + ACTIVATIONS_PATH,
        data=body,
        headers={"Content-Type": "application/json", **proof},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
            status = int(reply.status)
            text = reply.read(500).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read(500).decode(errors="replace")
    if status != 201:
        raise RuntimeError(f"a test activation answered {status}, not 201: {text}")


def measure(
    load: Load, server: Server, codes: list[str], folder: Path, rounds: int, warmup: int
) -> list[Phase]:
    health_url = server.base_url + HEALTH_PATH
    activations_url = server.base_url + ACTIVATIONS_PATH
    if warmup > 0:
        print(f"warm-up: {warmup} s per endpoint ...", flush=True)
        run_wrk(load, health_url, None, warmup)
        script = activation_script(folder, codes, "w", load.threads, warmup)
        run_wrk(load, activations_url, script, warmup)
        server.check_alive()
    workers = worker_pids(server.process.pid)
    phases: list[Phase] = []
    for number in range(1, rounds + 1):
        for endpoint in ("health", "activations"):
            print(f"round {number}/{rounds}: {endpoint}, {load.seconds} s ...", flush=True)
            cpu_before = cpu_seconds(workers)
            tree_before = cpu_map(server.process.pid)
            if endpoint == "health":
                output = run_wrk(load, health_url, None, load.seconds)
            else:
                script = activation_script(folder, codes, f"r{number}", load.threads, load.seconds)
                output = run_wrk(load, activations_url, script, load.seconds)
            server.check_alive()
            phase = parse_wrk(output, endpoint, number)
            phase.worker_cpu = [
                after - before
                for before, after in zip(cpu_before, cpu_seconds(workers), strict=True)
            ]
            tree_after = cpu_map(server.process.pid)
            spent = {pid: cpu - tree_before.get(pid, 0.0) for pid, cpu in tree_after.items()}
            server_cpu = sum(cpu for pid, cpu in spent.items() if pid > 0)
            pg_cpu = sum(cpu for pid, cpu in spent.items() if pid < 0)
            phase.server_cpu, phase.postgres_cpu = server_cpu, pg_cpu
            phases.append(phase)
    return phases


# --- the report -----------------------------------------------------------------------------


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" [")[0] if first else "wrk (unknown version)"


def print_report(phases: Sequence[Phase]) -> float:
    """Print the phases and the summary; hand back the median ratio activations/health."""
    print()
    print(
        f"{'round':>5}  {'endpoint':<12}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}"
        f"{'requests':>10}{'failed':>8}  CPU s per worker"
    )
    for phase in phases:
        if phase.endpoint == "activations":
            done = phase.requests - phase.failures
            server_ms = 1000 * phase.server_cpu / max(done, 1)
            pg_ms = 1000 * phase.postgres_cpu / max(done, 1)
            print(
                f"CPU round {phase.round}: server tree {phase.server_cpu:.2f} s, postgres "
                f"{phase.postgres_cpu:.2f} s; per activation: server {server_ms:.3f} ms + "
                f"postgres {pg_ms:.3f} ms = {server_ms + pg_ms:.3f} ms"
            )
        print(
            f"{phase.round:>5}  {phase.endpoint:<12}{phase.requests_per_second:>10.1f}"
            f"{phase.p50_ms:>10.2f}{phase.p99_ms:>10.2f}{phase.requests:>10}{phase.failures:>8}"
            f"  {' / '.join(f'{cpu:.1f}' for cpu in phase.worker_cpu) or 'n/a'}"
        )
    print()
    print(
        f"{'summary':<14}{'median req/s':>14}{'best req/s':>12}"
        f"{'p50 ms':>10}{'p99 ms':>10}   (latency: median of the rounds)"
    )
    medians: dict[str, float] = {}
    bests: dict[str, float] = {}
    for endpoint in ("health", "activations"):
        mine = [p for p in phases if p.endpoint == endpoint]
        medians[endpoint] = statistics.median(p.requests_per_second for p in mine)
        bests[endpoint] = max(p.requests_per_second for p in mine)
        print(
            f"{endpoint:<14}{medians[endpoint]:>14.1f}{bests[endpoint]:>12.1f}"
            f"{statistics.median(p.p50_ms for p in mine):>10.2f}"
            f"{statistics.median(p.p99_ms for p in mine):>10.2f}"
        )
    ratio = medians["activations"] / medians["health"]
    best_ratio = bests["activations"] / bests["health"]
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print()
    print(
        f"activations/health: {ratio:.1%} (medians), {best_ratio:.1%} (bests); "
        f"target >= {TARGET_RATIO:.0%}: {verdict}"
    )
    failed = sum(p.failures for p in phases)
    if failed:
        print(
            f"WARNING: {failed} requests failed (health: not 2xx; activations: not 201; "
            "or socket errors); see the 'failed' column"
        )
    else:
        print("every health answer was 2xx and every activation 201; no socket errors")
    return ratio


def print_cpu_summary(db_url: str, shape: str, phases: Sequence[Phase]) -> None:
    """One line: the medians over the rounds of activations/s and of CPU per activation
    (the server's processes, PostgreSQL's, both), in ms."""
    acts = [p for p in phases if p.endpoint == "activations"]

    def per(cpu: Callable[[Phase], float]) -> float:
        return statistics.median(1000 * cpu(p) / max(p.requests - p.failures, 1) for p in acts)

    print(
        f"RESULT db={'pg' if db_url.startswith('postgresql') else 'sqlite'} shape={shape} "
        f"act/s={statistics.median(p.requests_per_second for p in acts):.1f} "
        f"cpu_ms={per(lambda p: p.server_cpu + p.postgres_cpu):.3f} "
        f"server_ms={per(lambda p: p.server_cpu):.3f} pg_ms={per(lambda p: p.postgres_cpu):.3f} "
        f"failed={sum(p.failures for p in acts)}"
    )


# --- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Benchmark /health against new-seat activations with wrk."
    )
    parser.add_argument(
        "--concurrency", type=at_least(1), default=16, help="open connections (default 16)"
    )
    parser.add_argument(
        "--seconds", type=at_least(1), default=8, help="seconds per phase (default 8)"
    )
    parser.add_argument(
        "--rounds", type=at_least(1), default=2, help="health+activations rounds (default 2)"
    )
    parser.add_argument(
        "--warmup", type=at_least(0), default=2, help="warm-up seconds per endpoint (default 2)"
    )
    parser.add_argument("--threads", type=at_least(1), default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--workers", type=at_least(1), default=2, help="uvicorn workers (default 2)"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="a PostgreSQL URL that may create databases (a fresh one is made for the run); "
        "default: a fresh SQLite file",
    )
    parser.add_argument(
        "--shape",
        choices=sorted(SHAPES),
        default="volume",
        help="volume: one code of 10,000,000 seats; consumers: 10,000 codes of 5 seats, "
        "taken in turn (default volume)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    load = Load(
        wrk=wrk,
        threads=min(args.threads, args.concurrency),
        connections=args.concurrency,
        seconds=args.seconds,
    )
    with (
        tempfile.TemporaryDirectory(prefix="standby-bench-") as tmp,
        database(args.db, Path(tmp)) as db_url,
    ):
        folder = Path(tmp)
        kind = "PostgreSQL" if db_url.startswith("postgresql") else f"SQLite in {folder}"
        print(
            f"machine: {cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()} (server and wrk share these CPUs)"
        )
        print(
            f"server: {args.workers} uvicorn workers, {kind}; shape: {args.shape}; "
            f"load: {wrk_version(wrk)}, {load.threads} threads, {load.connections} connections, "
            f"{load.seconds} s per phase, {args.rounds} rounds, {args.warmup} s warm-up"
        )
        if db_url.startswith("postgresql"):
            from sqlalchemy.engine import make_url

            PG_DATABASES.append(str(make_url(db_url).database))
        codes = issue_codes(db_url, args.shape)
        try:
            with running_server(db_url, args.workers, folder) as server:
                activate_once(server, codes[0])
                phases = measure(load, server, codes, folder, args.rounds, args.warmup)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
        print_report(phases)
        print_cpu_summary(db_url, args.shape, phases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
