"""wrk for bench/server.py: its Lua script of activations, its run, and reading its output."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.device_proof import KEY_HEADER, PROOF_HEADER, DeviceKey

ACTIVATIONS_PATH = "/api/v1/activations"
WRK_TIMEOUT = "30s"  # a slow activation is a latency to measure, not a socket timeout

# Every activation gets its own device id, and is signed as that device (the server checks
# each call's proof): Lua cannot sign, so the requests are made and signed beforehand, a file
# of them per wrk thread (a body and its proof per line, tab between). ``response`` counts
# the status codes per thread; ``done`` adds them up in the main state.
ACTIVATION_LUA = """\
-- written by bench/server.py
local path = "{path}"
local folder = "{folder}"
local key = "{key}"
local threads = {{}}
local thread_count = 0
local counter = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

function init(args)
  statuses = {{}}
  bodies, proofs = {{}}, {{}}
  for line in io.lines(folder .. "/requests-" .. tid .. ".txt") do
    local tab = line:find("\t", 1, true)
    table.insert(bodies, line:sub(1, tab - 1))
    table.insert(proofs, line:sub(tab + 1))
  end
end

function request()
  counter = counter + 1
  -- past the last one, it starts again: repeats answer 200 and count as failures
  local n = ((counter - 1) % #bodies) + 1
  local headers = {{
    ["Content-Type"] = "application/json",
    ["{key_header}"] = key,
    ["{proof_header}"] = proofs[n],
  }}
  if {forwarded} then
    -- each device behind its own address, as a proxy in front names it
    headers["X-Forwarded-For"] = string.format(
      "10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  end
  return wrk.format("POST", path, headers, bodies[n])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {{}}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("STATUS %d %d\\n", status, count))
  end
end
"""
#: Activations signed ahead per second of a run, shared among its wrk threads: more than the
#: server answers.
SIGNED_PER_SECOND = 6000

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


# --- wrk -----------------------------------------------------------------------------------


@dataclass
class Phase:
    endpoint: str
    round: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    statuses: dict[int, int] = field(default_factory=dict)
    worker_cpu: list[float] = field(default_factory=list)  # CPU seconds per worker, this phase
    #: CPU seconds of the server's whole process tree, and of PostgreSQL's processes serving
    #: this run, in this phase.
    server_cpu: float = 0.0
    postgres_cpu: float = 0.0

    @property
    def failures(self) -> int:
        """Answers that are not what the endpoint should give, plus socket errors."""
        if self.endpoint == "activations":  # every one must be a new seat: 201
            return self.requests - self.statuses.get(201, 0) + self.socket_errors
        return self.non_2xx + self.socket_errors


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def parse_wrk(output: str, endpoint: str, round_number: int) -> Phase:
    """Requests/sec, p50, p99, counts and errors from ``wrk --latency`` output."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    p50 = re.search(rf"^\s+50(?:\.0+)?%\s+{_DURATION}", output, re.MULTILINE)
    p99 = re.search(rf"^\s+99(?:\.0+)?%\s+{_DURATION}", output, re.MULTILINE)
    if not (rate and total and p50 and p99):
        raise RuntimeError(f"cannot read the wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    statuses = {
        int(status): int(count)
        for status, count in re.findall(r"^STATUS (\d+) (\d+)$", output, re.MULTILINE)
    }
    return Phase(
        endpoint=endpoint,
        round=round_number,
        requests_per_second=float(rate.group(1)),
        p50_ms=_ms(p50.group(1), p50.group(2)),
        p99_ms=_ms(p99.group(1), p99.group(2)),
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        statuses=statuses,
    )


@dataclass(frozen=True)
class Load:
    wrk: str
    threads: int
    connections: int
    seconds: int


def run_wrk(load: Load, url: str, script: Path | None, seconds: int) -> str:
    command = [
        load.wrk,
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
    ]
    if script is not None:
        command.append(f"--script={script}")
    command.append(url)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def activation_script(
    folder: Path,
    codes: list[str],
    label: str,
    threads: int,
    seconds: int,
    *,
    forwarded: bool = False,
) -> Path:
    """A Lua script of activations of ``codes`` for ``threads`` wrk threads over ``seconds``,
    made and signed now (a proof is good for minutes); their device ids start with a prefix
    no other phase uses, and each thread takes its own turn through the codes. ``forwarded``:
    each request names a client address of its own in ``X-Forwarded-For``."""
    key = DeviceKey.generate()  # one key signs for every device of the run
    prefix = f"b{secrets.token_hex(4)}-{label}"
    requests = folder / f"activations-{label}"
    requests.mkdir()
    moment = int(time.time())
    for tid in range(1, threads + 1):
        lines = []
        for counter in range(1, SIGNED_PER_SECOND * seconds // threads + 1):
            code = codes[(counter * max(1, threads) + tid) % len(codes)]
            body = json.dumps(
                {"code": code, "device_id": f"{prefix}-{tid}-{counter}", "app_version": "1.0.0"}
            ).encode()
            proof = key.headers("POST", ACTIVATIONS_PATH, body, moment)[PROOF_HEADER]
            lines.append(f"{body.decode()}\t{proof}\n")
        (requests / f"requests-{tid}.txt").write_text("".join(lines))
    script = folder / f"activations-{label}.lua"
    script.write_text(
        ACTIVATION_LUA.format(
            path=ACTIVATIONS_PATH,
            folder=requests,
            key=key.public,
            key_header=KEY_HEADER,
            proof_header=PROOF_HEADER,
            forwarded="true" if forwarded else "false",
        )
    )
    return script
