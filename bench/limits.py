"""What the refusal limit's shared counting costs successful activations, against a baseline.

Run it from the project root (needs ``wrk`` and git)::

    python bench/limits.py --baseline d222439          # 3 rounds of 8 s per side and shape
    python bench/limits.py --baseline d222439 --db postgresql+psycopg://postgres@127.0.0.1/test

The baseline is another commit of this repository, checked out in a temporary git worktree
and run by the same Python; this tree is the candidate. Each round runs both, in turn, on
two shapes of the same load (one volume code, 16 connections):

- ``one address``: every activation from 127.0.0.1, so many requests of one address are
  under way at once (an office behind one NAT address): each is counted before its work and
  given back once it succeeds;
- ``own addresses``: a proxy in front (``--trusted-proxy 127.0.0.1``) names a random client
  address of 10.0.0.0/8 for each request (devices, each behind its own address): requests
  are counted only when refused, and none is.

Each run gets a fresh database (an SQLite file, or a new PostgreSQL database) migrated and
filled by that side's own code. It prints each run and, per shape, the median activations/s
of each side and their ratio candidate/baseline. Every activation must answer 201.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from server import HOST, STARTUP_SECONDS, _answers, database, free_port
from wrk import ACTIVATIONS_PATH, Load, activation_script, parse_wrk, run_wrk

ROOT = Path(__file__).resolve().parent.parent
SHAPES = {"one address": False, "own addresses": True}


@contextmanager
def baseline_tree(commit: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="standby-baseline-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
            check=True,
            capture_output=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )


def _server(tree: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.server", *arguments],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )


@contextmanager
def serving(tree: Path, db_url: str, workers: int, forwarded: bool) -> Iterator[str]:
    port = free_port()
    options = ["--trusted-proxy", HOST] if forwarded else []
    command = [sys.executable, "-m", "app.server", "serve", "--db", db_url, "--host", HOST]
    command += ["--port", str(port), "--workers", str(workers), *options]
    process = subprocess.Popen(
        command,
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{HOST}:{port}"
    try:
        waited = 0.0
        while not _answers(url + "/api/v1/health"):
            if process.poll() is not None or waited > STARTUP_SECONDS:
                raise RuntimeError(f"the server of {tree} did not start")
            time.sleep(0.1)  # the port is not open yet: nothing to wait on but time
            waited += 0.1
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_once(
    tree: Path, db: str | None, load: Load, forwarded: bool, workers: int, label: str
) -> float:
    with tempfile.TemporaryDirectory() as folder, database(db, Path(folder)) as db_url:
        code = _server(tree, "codes", "issue", "--db", db_url, "--devices", "100000000").stdout
        with serving(tree, db_url, workers, forwarded) as url:
            script = activation_script(
                Path(folder), [code.strip()], label, load.threads, load.seconds, forwarded=forwarded
            )
            phase = parse_wrk(
                run_wrk(load, url + ACTIVATIONS_PATH, script, load.seconds), "activations", 1
            )
    if phase.failures:
        raise RuntimeError(f"{phase.failures} activations did not answer 201: {phase.statuses}")
    return phase.requests_per_second


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare against")
    parser.add_argument("--db", help="a PostgreSQL URL that may create databases (default SQLite)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    load = Load("wrk", 2, args.connections, args.seconds)
    rates: dict[tuple[str, str], list[float]] = {}
    with baseline_tree(args.baseline) as baseline:
        sides = {"baseline": baseline, "candidate": ROOT}
        for number in range(1, args.rounds + 1):
            for shape, forwarded in SHAPES.items():
                for side, tree in sides.items():
                    label = f"{side[0]}{number}{int(forwarded)}"
                    rate = run_once(tree, args.db, load, forwarded, args.workers, label)
                    rates.setdefault((shape, side), []).append(rate)
                    print(f"round {number}: {shape:13} {side:9} {rate:8.1f} activations/s")
    print()
    for shape in SHAPES:
        base = statistics.median(rates[(shape, "baseline")])
        candidate = statistics.median(rates[(shape, "candidate")])
        print(
            f"{shape:13}: baseline {base:8.1f}/s, candidate {candidate:8.1f}/s, "
            f"ratio {candidate / base:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
