"""What the always-on engine costs while it waits, and how fast it acts.

    python bench/background.py [--seconds 60] [--runs 5]

Everything runs in this one session, against a bare PySide6 window measured beside it:

- memory (RSS) and wake-ups per minute (context switches of all threads, voluntary and
  not) over ``--seconds`` of idling with an active license, for the bare window,
  ``standby --background`` and ``standby`` (window), each against a server in another
  process and with the embedded server;
- how late the reserve takes over after the expiry instant with no window ever built (the
  engine's own log line, which measures it), over ``--runs`` takeovers, with the server up
  and with its process stopped before the license ends;
- how long a window takes to show when a second ``standby`` asks the background engine
  for it, against a bare window's start, over ``--runs`` alternating runs.

Run it under Xvfb (``xvfb-run -a python bench/background.py``) for real X11 windows and a
notification area if one runs; without a display it uses Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # app, for asking the engine
from bundle import BARE_WINDOW

PYTHON = sys.executable
RSS_TARGET = 1.0
WAKEUPS_TARGET = 12
LATE_TARGET = 1.0
OPEN_TARGET = 1.3
#: The engine's log line at a takeover: "..., 0.012 s after the license ended".
TOOK_OVER = "the reserve code took over, "


def env() -> dict[str, str]:
    extra = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        extra["QT_QPA_PLATFORM"] = "offscreen"
    return {**os.environ, **extra}


def run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=env(), check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def issue(db: str, term: str) -> str:
    return run(PYTHON, "-m", "app.server", "codes", "issue", "--db", db, "--term", term).strip()


def code_facts(db: str, code: str) -> dict[str, object]:
    facts = json.loads(run(PYTHON, "-m", "app.server", "codes", "show", code, "--db", db))
    assert isinstance(facts, dict)
    return facts


def standby(*args: str) -> str:
    return run(PYTHON, "-m", "app", *args)


def wait_until(condition: object, what: str, patience: float = 60.0) -> None:
    deadline = time.monotonic() + patience
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.05)


def switches(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text()
        except OSError:
            continue  # a thread that just ended
        for line in text.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def answers(data_dir: Path) -> bool:
    from app.engine.ask import ask

    try:
        return ask(data_dir, {"op": "license", "action": "show"}) is not None
    except Exception:
        return False


class Server:
    def __init__(self, folder: Path) -> None:
        self.db = f"sqlite:///{folder / 'server.db'}"
        issue(self.db, "1d")  # creates and migrates the database
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "app.server", "serve", "--db", self.db, "--port", str(self.port)],
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import urllib.request

        def up() -> bool:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=1):  # noqa: S310
                    return True
            except OSError:
                return False

        wait_until(up, "the server")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def device(folder: Path, name: str, server: Server | None) -> tuple[Path, list[str]]:
    """A data directory with an active license; the arguments that point at its server."""
    data_dir = folder / name
    if server is None:
        db = f"sqlite:///{data_dir / 'server' / 'standby.db'}"
        (data_dir / "server").mkdir(parents=True)
        standby("license", "add", issue(db, "365d"), "--data-dir", str(data_dir))
        return data_dir, ["--data-dir", str(data_dir)]
    standby(
        "license",
        "add",
        issue(server.db, "365d"),
        "--server",
        server.url,
        "--data-dir",
        str(data_dir),
    )
    return data_dir, ["--server", server.url, "--data-dir", str(data_dir)]


def idle_costs(folder: Path, server: Server, seconds: float) -> dict[str, tuple[float, float]]:
    """RSS (MB) and wake-ups per minute of each process, idling side by side."""
    commands: dict[str, list[str]] = {"bare window": [PYTHON, "-c", BARE_WINDOW]}
    for mode, srv in (("remote server", server), ("embedded server", None)):
        _, args = device(folder, f"bg-{mode[:3]}", srv)
        commands[f"background, {mode}"] = [PYTHON, "-m", "app", "--background", *args]
        _, args = device(folder, f"win-{mode[:3]}", srv)
        commands[f"window, {mode}"] = [PYTHON, "-m", "app", *args]
    processes = {
        name: subprocess.Popen(
            command, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for name, command in commands.items()
    }
    try:
        time.sleep(10)  # start-up, the first status sync, the window's first paints
        before = {name: switches(p.pid) for name, p in processes.items()}
        time.sleep(seconds)
        return {
            name: (rss_mb(p.pid), (switches(p.pid) - before[name]) * 60 / seconds)
            for name, p in processes.items()
        }
    finally:
        for p in processes.values():
            p.terminate()
            p.wait(timeout=20)


def start_background(data_dir: Path, args: list[str], probe: bool = False) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [PYTHON, "-m", "app", "--background", *args],
        env={**env(), **({"STANDBY_STARTUP_PROBE": "1"} if probe else {})},
        stdout=subprocess.PIPE if probe else subprocess.DEVNULL,
        stderr=(data_dir.parent / f"{data_dir.name}.err").open("w"),
        text=True,
    )
    try:
        wait_until(lambda: answers(data_dir), "the background engine")
    except SystemExit:
        print((data_dir.parent / f"{data_dir.name}.err").read_text(), file=sys.stderr)
        raise
    return process


def takeover_lateness(
    folder: Path, server: Server, runs: int, *, server_down: bool = False
) -> list[float]:
    """Seconds from the expiry instant to the reserve's takeover, no window built; with
    ``server_down``, the server process is stopped before the license ends (the reserve's
    license, signed ahead, is installed with no network) and started again afterwards."""
    late = []
    for number in range(runs):
        data_dir = folder / f"takeover-{'down' if server_down else 'up'}-{number}"
        args = ["--server", server.url, "--data-dir", str(data_dir)]
        process = start_background(data_dir, args)
        try:
            first, reserve = issue(server.db, "6s"), issue(server.db, "365d")
            standby("license", "add", first, *args)
            standby("license", "add", reserve, *args)
            if server_down:
                server.stop()
            log = data_dir / "standby.log"
            try:
                wait_until(lambda log=log: TOOK_OVER in log.read_text(), "the takeover")
            finally:
                if server_down:
                    server.start()
            line = next(x for x in log.read_text().splitlines() if TOOK_OVER in x)
            late.append(float(line.split(TOOK_OVER)[1].split()[0]))
            if not server_down:  # the server agrees: the reserve's seat is in use
                wait_until(
                    lambda reserve=reserve: code_facts(server.db, reserve)["devices_held"] == 0,
                    "the server's confirmation",
                )
        finally:
            process.terminate()
            process.wait(timeout=20)
    return late


def first_paint(process: subprocess.Popen[str], started: float) -> float:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "window shown":
            return time.monotonic() - started
    raise SystemExit("the window never painted")


def window_opening(folder: Path, server: Server, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to a painted window: a bare window's start; a second launch's hand-over."""
    bare, handed = [], []
    for number in range(runs):
        started = time.monotonic()
        window = subprocess.Popen(
            [PYTHON, "-c", BARE_WINDOW],
            env=env(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        bare.append(first_paint(window, started))
        window.terminate()
        window.wait(timeout=20)
        data_dir, args = device(folder, f"open-{number}", server)
        background = start_background(data_dir, args, probe=True)
        try:
            started = time.monotonic()
            subprocess.run(
                [PYTHON, "-m", "app", "--data-dir", str(data_dir)],
                env=env(),
                check=True,
                capture_output=True,
            )
            handed.append(first_paint(background, started))
        finally:
            background.terminate()
            background.wait(timeout=20)
    return bare, handed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="idle time measured")
    parser.add_argument("--runs", type=int, default=5, help="takeovers and window openings")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="standby-bench-"))
    server = Server(folder)
    try:
        costs = idle_costs(folder, server, args.seconds)
        late = takeover_lateness(folder, server, args.runs)
        late_down = takeover_lateness(folder, server, args.runs, server_down=True)
        bare, handed = window_opening(folder, server, args.runs)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    bare_rss = costs["bare window"][0]
    print(f"idle {args.seconds:.0f} s, platform {env().get('QT_QPA_PLATFORM', 'display')}")
    print(f"{'process':34} {'RSS MB':>8} {'x bare':>7} {'wake-ups/min':>13}")
    for name, (rss, wakeups) in costs.items():
        print(f"{name:34} {rss:8.1f} {rss / bare_rss:7.2f} {wakeups:13.1f}")
    print(
        f"targets for background, remote server: RSS <= {RSS_TARGET}x bare, "
        f"<= {WAKEUPS_TARGET} wake-ups/min"
    )
    print(
        f"takeover after the expiry instant, no window (s): median "
        f"{statistics.median(late):.3f}, max {max(late):.3f} (target <= {LATE_TARGET})"
    )
    print(
        f"the same with the server process stopped (s): median "
        f"{statistics.median(late_down):.3f}, max {max(late_down):.3f} (target <= {LATE_TARGET})"
    )
    ratio = statistics.median(handed) / statistics.median(bare)
    print(
        f"window shown: bare start {statistics.median(bare):.3f} s, second launch's hand-over "
        f"{statistics.median(handed):.3f} s: {ratio:.2f}x (target <= {OPEN_TARGET})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
