"""Every sentence the account console shows has its Polish words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from app.server.console import words
from app.server.console.web import STATE_WORDS, TYPE_WORDS
from app.server.console.words import POLISH, best_language, translator

CONSOLE = Path(words.__file__).parent
#: ``_("...")`` or ``_('...')`` in a template.
SAID = re.compile(r"""_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _template_sentences() -> set[str]:
    found = set()
    for template in (CONSOLE / "templates").glob("*.html"):
        for match in SAID.finditer(template.read_text()):
            found.add(match.group(1) or match.group(2))
    return found


def _route_sentences() -> set[str]:
    """The sentences the routes hand to templates: string constants that read as one (a
    capital letter first, a space inside), docstrings aside."""
    found = set()
    for module in ("routes.py", "reserve.py", "recovery.py"):
        tree = ast.parse((CONSOLE / module).read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and node.value[:1].isupper()
                and " " in node.value
            ):
                found.add(node.value)
    return found


def test_every_sentence_has_polish_words() -> None:
    named = {english for english, _tone in STATE_WORDS.values()} | set(TYPE_WORDS.values())
    sentences = _template_sentences() | _route_sentences() | named
    assert len(sentences) > 40  # the scan found them
    missing = sorted(sentence for sentence in sentences if sentence not in POLISH)
    assert missing == []


def test_polish_keeps_every_value_of_a_sentence() -> None:
    for english, polish in POLISH.items():
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", polish))


def test_values_are_escaped_but_the_sentence_is_whole() -> None:
    say = translator("pl")
    assert str(say("Signed in as {email}", email="<b>x</b>")) == (
        "Zalogowano jako &lt;b&gt;x&lt;/b&gt;"
    )
    assert str(translator("en")("Sign in")) == "Sign in"


def test_the_browsers_first_language_we_speak_wins() -> None:
    assert best_language("pl-PL,pl;q=0.9,en;q=0.8") == "pl"
    assert best_language("de-DE,de;q=0.9,pl;q=0.7,en;q=0.8") == "en"
    assert best_language("de, pl;q=0.5") == "pl"
    assert best_language("en;q=0, pl;q=0") == "en"
    assert best_language(None) == "en"
