"""The engine runs without a window: importing it must not pull in QtWidgets or QtGui."""

from __future__ import annotations

import subprocess
import sys

ENGINE_MODULES = [
    "app.engine",
    "app.engine.engine",
    "app.engine.effects",
    "app.engine.rules",
    "app.engine.schedule",
    "app.engine.vocabulary",
    "app.engine.jobs",
    "app.engine.ask",
    "app.engine.owner",
    "app.engine.commands",
    "app.engine.cli",
    "app.engine.autostart",
    "app.engine.keyring_wait",
    "app.engine.runner",
    "app.engine.outcomes",
]


def loaded(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with one of ``prefixes`` that a fresh interpreter has loaded
    after running ``code``."""
    probe = (
        f"import sys\n{code}\n"
        f"print('\\n'.join(m for m in sorted(sys.modules) if m.startswith({prefixes!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.split()


def test_the_engine_imports_no_widgets_and_no_gui() -> None:
    code = "import importlib\n" + "".join(
        f"importlib.import_module({m!r})\n" for m in ENGINE_MODULES
    )
    assert loaded(code, ("PySide6.QtWidgets", "PySide6.QtGui")) == []


def test_a_second_launch_reaches_the_owner_without_loading_qt() -> None:
    code = "import app.__main__, app.engine.ask\napp.data_dir.default_data_dir()"
    assert loaded(code, ("PySide6",)) == []


def test_only_the_composition_root_reaches_into_the_server() -> None:
    """The app starts its embedded server in one place, ``app.wiring``; the rest of the app
    sees it through ``wiring.LocalServer`` and never imports ``app.server``."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    reaching: list[str] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent)
        if relative.parts[:2] == ("app", "server") or relative == Path("app/wiring.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name == "app.server" or name.startswith("app.server.") for name in names):
                reaching.append(f"{relative}:{node.lineno}")
    assert reaching == []
