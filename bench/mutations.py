"""Do the tests catch what they claim? Mutate the code one small change at a time and run
the tests that cover it: a mutant the tests still pass is a survivor.

Run it from the project root with the project's virtualenv::

    python bench/mutations.py                       # every target below
    python bench/mutations.py --only domain proof   # some of them
    python bench/mutations.py --list                # the mutants, without running tests

The mutants are made from the code's syntax tree: a comparison turned into its neighbour
(``<`` and ``<=``, ``>`` and ``>=``, ``==`` and ``!=``, ``in`` and ``not in``), ``and`` and
``or`` swapped, a ``not`` dropped, a whole number made one larger, and, inside SQL text, ``<=``
made ``<`` and ``>=`` made ``>``. Each runs in a copy of the tree (``app``, ``tests`` and the
project's files, in a temporary folder), so the working tree is never touched. It prints each
survivor (file, line, the change) and a count per target. Set ``STANDBY_TEST_DATABASE_URL``
(as for the suite): without it the PostgreSQL tests are skipped, and every mutant of a
statement only PostgreSQL runs survives.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Each target: the files mutated, and the tests that answer for them.
TARGETS: dict[str, tuple[list[str], list[str]]] = {
    "domain": (
        ["app/domain/license.py", "app/domain/codes.py", "app/domain/durations.py"],
        [
            "tests/domain",
            # The most a code may carry, which the domain sets and the command enforces.
            "tests/server/test_cli.py::test_values_no_database_could_keep_are_refused_alike_on_both",
            "tests/server/test_cli.py::test_bad_input_gives_one_line_and_a_non_zero_exit",
        ],
    ),
    "proof": (["app/device_proof.py"], ["tests/server/test_device_proof.py"]),
    "limits": (
        ["app/server/api/limits.py", "app/server/services/counts.py"],
        [
            "tests/server/test_refusal_limits.py",
            "tests/server/test_shared_limits.py",
            "tests/server/test_limit_edges.py",
        ],
    ),
    "seats": (
        [
            "app/server/tables.py",
            "app/server/services/activation_sets/decision.py",
            "app/server/services/activation_sets/common.py",
            "app/server/services/activation_sets/postgres.py",
        ],
        [
            "tests/server/test_write_decision.py",
            "tests/server/test_activations.py",
            "tests/server/test_activation_sets.py",
            "tests/server/test_concurrency.py",
            "tests/server/test_holds.py",
        ],
    ),
}

_SWAPS = {
    ast.Lt: "<=",
    ast.LtE: "<",
    ast.Gt: ">=",
    ast.GtE: ">",
    ast.Eq: "!=",
    ast.NotEq: "==",
    ast.In: "not in",
    ast.NotIn: "in",
}
_SQL = [(re.compile(r"<="), "<"), (re.compile(r">="), ">")]


@dataclass(frozen=True)
class Mutant:
    path: str
    line: int
    start: int  # offsets in the file's text
    end: int
    replacement: str

    def describe(self, text: str) -> str:
        return f"{self.path}:{self.line}: {text[self.start : self.end]!r} -> {self.replacement!r}"


def _offsets(text: str) -> list[int]:
    starts, total = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    return starts


def mutants(path: str) -> Iterator[Mutant]:
    text = (ROOT / path).read_text(encoding="utf-8")
    lines = _offsets(text)

    def at(line: int, column: int) -> int:
        return lines[line - 1] + len(text[lines[line - 1] :].encode()[:column].decode())

    def end(node: ast.expr) -> int:
        return at(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)

    tree = ast.parse(text)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                swap = _SWAPS.get(type(op))
                between = (end(left), at(right.lineno, right.col_offset))
                gap = text[between[0] : between[1]]
                token = gap.strip()
                if swap is not None and token:
                    start = between[0] + gap.index(token)
                    yield Mutant(path, node.lineno, start, start + len(token), swap)
                left = right
        elif isinstance(node, ast.BoolOp):
            word, other = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
            start = text.index(word, end(node.values[0]))
            yield Mutant(path, node.lineno, start, start + len(word), other)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            start = at(node.lineno, node.col_offset)
            inner = at(node.operand.lineno, node.operand.col_offset)
            yield Mutant(path, node.lineno, start, inner, "")
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            start, stop = at(node.lineno, node.col_offset), end(node)
            value = node.value
            if isinstance(value, int) and not isinstance(value, bool):
                yield Mutant(path, node.lineno, start, stop, str(value + 1))
            elif isinstance(value, str) and re.search(r"\b(SELECT|UPDATE|INSERT)\b", value):
                for pattern, replacement in _SQL:
                    for found in pattern.finditer(text, start, stop):
                        line = text.count("\n", 0, found.start()) + 1
                        yield Mutant(path, line, found.start(), found.end(), replacement)


def _copy_tree(folder: Path) -> None:
    for name in ("app", "tests", "resources"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy2(ROOT / name, folder / name)


def run(targets: list[str], timeout: float) -> int:
    survivors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="standby-mutants-") as temporary:
        folder = Path(temporary)
        _copy_tree(folder)
        env = {**os.environ, "PYTHONPATH": str(folder), "QT_QPA_PLATFORM": "offscreen"}
        for target in targets:
            files, tests = TARGETS[target]
            killed = alive = 0
            began = time.monotonic()
            for path in files:
                original = (ROOT / path).read_text(encoding="utf-8")
                for mutant in mutants(path):
                    changed = original[: mutant.start] + mutant.replacement + original[mutant.end :]
                    (folder / path).write_text(changed, encoding="utf-8")
                    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
                    try:
                        done = subprocess.run(
                            [*command, *tests],
                            cwd=folder,
                            env=env,
                            capture_output=True,
                            timeout=timeout,
                            check=False,
                        )
                        passed = done.returncode == 0
                    except subprocess.TimeoutExpired:
                        passed = False  # hung: the tests noticed something
                    if passed:
                        alive += 1
                        survivors.append(mutant.describe(original))
                        print("survived", mutant.describe(original), flush=True)
                    else:
                        killed += 1
                (folder / path).write_text(original, encoding="utf-8")
            seconds = time.monotonic() - began
            print(f"{target}: {killed} killed, {alive} survived, {seconds:.0f} s", flush=True)
    print(f"survivors: {len(survivors)}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(TARGETS), help="targets to run")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per test run")
    args = parser.parse_args()
    targets = args.only or list(TARGETS)
    if args.list:
        for target in targets:
            for path in TARGETS[target][0]:
                text = (ROOT / path).read_text(encoding="utf-8")
                for mutant in mutants(path):
                    print(mutant.describe(text))
        return
    raise SystemExit(run(targets, args.timeout))


if __name__ == "__main__":
    main()
