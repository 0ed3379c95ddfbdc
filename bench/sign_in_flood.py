"""A flood of sign-ins against the rest of the API: worker memory and /licenses/status latency.

Run it from the project root::

    python bench/sign_in_flood.py                  # 64 clients, one address each
    python bench/sign_in_flood.py --one-address    # 64 clients, all from 127.0.0.1

It starts the server (one worker, a fresh SQLite file), activates one code, then times 200
``/licenses/status`` calls in a row, first on a quiet server and then while 64 clients send
sign-ins with random e-mails as fast as they are answered. It samples the worker's resident
memory every 50 ms throughout and prints the peak, the p50/p99 of the status calls in both
phases, and what the sign-ins were answered. Each client of the flood sends from a loopback
address of its own (127.0.1.x) unless ``--one-address``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import secrets
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from procs import worker_pids
from server import HOST, database, issue_codes, running_server

from app.device_proof import DeviceKey

STATUS_CALLS = 200
_KEY = DeviceKey.generate()


def _post(port: int, path: str, body: dict[str, str], source: str = HOST) -> tuple[int, bytes]:
    """POST ``body``, signed: one key signs for every device here (the server ties a device
    id to the key of its first call)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120, source_address=(source, 0))
    payload = json.dumps(body).encode()
    proof = _KEY.headers("POST", path, payload, int(time.time()))
    try:
        connection.request(
            "POST", path, body=payload, headers={"Content-Type": "application/json", **proof}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the server has stopped
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _status_latencies(port: int, token: str) -> list[float]:
    latencies = []
    for _ in range(STATUS_CALLS):
        start = time.perf_counter()
        status, _body = _post(port, "/api/v1/licenses/status", {"license": token})
        latencies.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"/licenses/status answered {status}")
    return latencies


def _p(values: Sequence[float], quantile: float) -> float:
    return statistics.quantiles(values, n=100)[int(quantile) - 1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--one-address", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="standby-flood-") as folder_name:
        folder = Path(folder_name)
        with database(None, folder) as db_url:
            code = issue_codes(db_url, "volume")[0]
            with running_server(db_url, 1, folder) as server:
                port = int(server.base_url.rsplit(":", 1)[1])
                _status, body = _post(
                    port,
                    "/api/v1/activations",
                    {"code": code, "device_id": "flood-probe", "app_version": "1.0.0"},
                )
                token = json.loads(body)["license"]
                # one worker: uvicorn serves in the process it was started as
                [worker] = worker_pids(server.process.pid) or [server.process.pid]
                peak = _rss_mb(worker)
                stop = threading.Event()

                def sample() -> None:
                    nonlocal peak
                    while not stop.is_set():
                        peak = max(peak, _rss_mb(worker))
                        time.sleep(0.05)

                answers: Counter[int] = Counter()

                def client(number: int) -> None:
                    source = HOST if args.one_address else f"127.0.1.{number + 1}"
                    while not stop.is_set():
                        email = f"nobody-{secrets.token_hex(6)}@example.com"
                        answer, _ = _post(
                            port,
                            "/api/v1/accounts/sign-in",
                            {
                                "email": email,
                                "password": "x" * 12,
                                "device_id": f"flood-device-{number:04d}",
                            },
                            source,
                        )
                        answers[answer] += 1

                sampler = threading.Thread(target=sample)
                sampler.start()
                quiet = _status_latencies(port, token)
                quiet_peak = peak
                clients = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
                for thread in clients:
                    thread.start()
                time.sleep(2)  # let the flood build up
                flooded = _status_latencies(port, token)
                stop.set()
                for thread in [*clients, sampler]:
                    thread.join()
    print(f"worker RSS: {quiet_peak:.0f} MB quiet, peak {peak:.0f} MB with the flood")
    print(
        f"/licenses/status ms: quiet p50 {_p(quiet, 50):.1f} p99 {_p(quiet, 99):.1f}; "
        f"flooded p50 {_p(flooded, 50):.1f} p99 {_p(flooded, 99):.1f}"
    )
    print(f"sign-ins answered: {dict(sorted(answers.items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
