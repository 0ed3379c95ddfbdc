"""What the benchmarks read of processes in ``/proc`` (Linux): a server's workers and whole
process tree, the local PostgreSQL's processes serving a run, and their CPU seconds."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (Linux), None when unreadable."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def worker_pids(server_pid: int) -> list[int]:
    """The uvicorn worker processes of the server (children started by multiprocessing)."""
    found: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        fields = _proc_stat(int(entry))
        if fields is None or fields[1] != str(server_pid):
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
            found.append(int(entry))
    return sorted(found)


def _children(pids: Sequence[int]) -> list[int]:
    """``pids`` and every process below them."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _proc_stat(int(entry))
            if fields is not None:
                parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


#: The databases of this run on PostgreSQL (their backends are the ones counted).
PG_DATABASES: list[str] = []


def postgres_pids() -> list[int]:
    """The local ``postgres`` processes of this run: the backends connected to its database,
    and the server's own helpers (WAL writer, checkpointer, ...), which serve every database;
    other databases' backends are left out."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() != "postgres":
                    continue
                title = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            backend = "(" in title or "[local]" in title
            if not backend or any(f" {name} " in title for name in PG_DATABASES):
                found.append(int(entry))
    return found


def cpu_seconds(pids: Sequence[int]) -> list[float]:
    """User plus system CPU seconds of each process so far (0.0 when unreadable)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    totals: list[float] = []
    for pid in pids:
        fields = _proc_stat(pid)
        totals.append((int(fields[11]) + int(fields[12])) / ticks if fields else 0.0)
    return totals


def cpu_map(server_pid: int) -> dict[int, float]:
    """CPU seconds per process: the server's tree by pid, ``postgres`` processes by -pid.
    A process that started during a phase counts from 0."""
    tree = _children([server_pid])
    pgs = postgres_pids()
    out = dict(zip(tree, cpu_seconds(tree), strict=True))
    out.update({-pid: cpu for pid, cpu in zip(pgs, cpu_seconds(pgs), strict=True)})
    return out
