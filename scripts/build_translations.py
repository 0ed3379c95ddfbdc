"""Update resources/translations/*.ts from the sources and build the .qm files the app loads.

    python scripts/build_translations.py          # lupdate + fill English plurals + lrelease
    python scripts/build_translations.py --check  # fail if a .ts is stale or a string lacks Polish

English is the source language; its .ts only carries the plural forms ("%n day(s)" →
"%n day" / "%n days"), which the script fills in itself. Polish is translated by hand in
standby_pl.ts (Qt Linguist, or any editor).
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "resources" / "translations"
LANGUAGES = {"en": "en_GB", "pl": "pl_PL"}


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials")
    return found


def sources() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "app").rglob("*.py"))


def lupdate(ts: Path, language: str) -> None:
    plurals = _plural_translations(ts)
    subprocess.run(
        [
            tool("pyside6-lupdate"),
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            language,
            *sources(),
            "-ts",
            str(ts),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    _mark_plurals(ts, plurals)


def _plural_translations(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """The plural messages' translations, by context and source, before lupdate runs."""
    if not ts.exists():
        return {}
    found = {}
    for context in ET.parse(ts).iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if message.get("numerus") == "yes" and translation is not None:
                found[(name, message.findtext("source") or "")] = translation
    return found


def _mark_plurals(ts: Path, plurals: dict[tuple[str, str], ET.Element]) -> None:
    """Before Qt for Python 6.12, lupdate did not see that a ``%n`` string called with a
    count is a plural: mark such messages plural again, keeping their translations."""
    tree = ET.parse(ts)
    changed = False
    for context in tree.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            if "%n" not in source or message.get("numerus") == "yes":
                continue
            changed = True
            message.set("numerus", "yes")
            old = message.find("translation")
            kept = plurals.get((name, source))
            if old is not None and kept is not None:
                kept = copy.deepcopy(kept)
                kept.tail = old.tail
                message.remove(old)
                message.append(kept)
    if changed:
        tree.write(ts, encoding="utf-8", xml_declaration=True)


def fill_english_plurals(ts: Path) -> None:
    tree = ET.parse(ts)
    for message in tree.iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        for child in list(translation):
            translation.remove(child)
        for form in (source.replace("(s)", ""), source.replace("(s)", "s")):
            ET.SubElement(translation, "numerusform").text = form
        translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def unfinished(ts: Path) -> list[str]:
    """Strings without a translation (in English, only plurals need one)."""
    english = ts.name.endswith("_en.ts")
    missing = []
    for message in ET.parse(ts).iter("message"):
        if english and message.get("numerus") != "yes":
            continue
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            missing.append(source)
        elif message.get("numerus") == "yes":
            if not all((form.text or "").strip() for form in translation.iter("numerusform")):
                missing.append(source)
        elif not (translation.text or "").strip():
            missing.append(source)
    return missing


def lrelease(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
        check=True,
    )


def build() -> None:
    for short, language in LANGUAGES.items():
        ts = FOLDER / f"standby_{short}.ts"
        lupdate(ts, language)
        if short == "en":
            fill_english_plurals(ts)
        lrelease(ts)
        missing = unfinished(ts)
        if missing:
            print(f"{ts.name}: {len(missing)} string(s) without a translation")


def check() -> int:
    """The committed .ts files match the sources and every string is translated."""
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        for short, language in LANGUAGES.items():
            committed = FOLDER / f"standby_{short}.ts"
            copy = Path(scratch) / committed.name
            shutil.copy(committed, copy)
            lupdate(copy, language)
            if short == "en":
                fill_english_plurals(copy)
            if ET.tostring(ET.parse(copy).getroot()) != ET.tostring(ET.parse(committed).getroot()):
                problems.append(f"{committed.name} is stale: run scripts/build_translations.py")
            problems += [f"{committed.name}: not translated: {text!r}" for text in unfinished(copy)]
            if not committed.with_suffix(".qm").exists():
                problems.append(f"{committed.with_suffix('.qm').name} is missing")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    if parser.parse_args().check:
        return check()
    build()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
