"""What each import inside a function saves: the time its module would add to loading the
module that holds it, were it imported at the top.

    python bench/imports.py              # every import inside a function under app/
    python bench/imports.py --runs 5     # more runs per pair (the median is shown)

For each pair (the holding module, the module imported inside one of its functions) a fresh
interpreter imports the holder, then the other, under ``-X importtime``; the other's
cumulative time is what loading the holder would cost more. 0 means the holder loads it
anyway: such an import saves nothing (unless it breaks an import cycle, or the module
exists on one platform only). Machines here are noisy: read the order of magnitude.
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Written between the two imports: only what the second one loads is counted.
MARKED = "-- the holder is loaded --"
MARK = f"sys.stderr.write({MARKED!r} + chr(10)); sys.stderr.flush()"


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_inside_functions() -> list[tuple[str, str, str]]:
    """(holder, imported module, where) for every import inside a function under app/."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    where = f"{path.relative_to(ROOT)}:{node.lineno} {function.name}"
                    found.setdefault((module_of(path), name), where)
    return [(holder, name, where) for (holder, name), where in found.items()]


def cost_ms(holder: str, name: str) -> float | None:
    """Milliseconds ``name`` adds once ``holder`` is loaded (None: it cannot load here)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            f"import sys\nimport {holder}\n{MARK}\nimport {name}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        return None
    after = done.stderr.split(MARKED, 1)[-1]
    for text in after.splitlines():  # "import time: self | cumulative | name"
        fields = text.split("|")
        if len(fields) == 3 and fields[2].strip() == name:
            return int(fields[1]) / 1000
    return 0.0  # loaded with the holder already


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for holder, name, where in imports_inside_functions():
        costs = [cost_ms(holder, name) for _ in range(args.runs)]
        known = [cost for cost in costs if cost is not None]
        rows.append((statistics.median(known) if known else None, name, where))
    rows.sort(key=lambda row: -1.0 if row[0] is None else row[0], reverse=True)
    print(f"{'ms':>8}  module imported inside a function  (where)")
    for cost, name, where in rows:
        shown = "absent" if cost is None else f"{cost:8.1f}"
        print(f"{shown:>8}  {name}  ({where})")


if __name__ == "__main__":
    main()
