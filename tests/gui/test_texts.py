"""The words for time and for an unreachable server, as the window shows them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication

from app.client.api import Unreachable
from app.gui import i18n, texts

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> None:
    i18n.install("en")


@pytest.mark.parametrize(
    ("left", "said"),
    [
        (timedelta(minutes=1, seconds=52), "1 minute left"),  # not "2", nor "3"
        (timedelta(minutes=2, seconds=59), "2 minutes left"),
        (timedelta(minutes=59, seconds=59), "59 minutes left"),
        (timedelta(seconds=59), "less than a minute left"),
        (timedelta(hours=2, minutes=59), "2 hours left"),
        (timedelta(hours=23, minutes=59), "23 hours left"),
        (timedelta(days=1, minutes=1), "1 day left"),
        (timedelta(days=365) - timedelta(minutes=1), "365 days left"),  # as people count
        (timedelta(days=10, hours=13), "11 days left"),
        (timedelta(0), "expired"),
    ],
)
def test_time_left_counts_what_is_left(left: timedelta, said: str) -> None:
    assert texts.time_left(NOW + left, NOW) == said


@pytest.mark.parametrize(
    ("ago", "said"),
    [
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=2, seconds=40), "2 minutes ago"),
        (timedelta(hours=3, minutes=5), "3 hours ago"),
    ],
)
def test_a_confirmation_ages(ago: timedelta, said: str) -> None:
    assert texts.time_ago(NOW - ago, NOW) == said


def test_a_day_old_confirmation_gives_its_date() -> None:
    said = texts.time_ago(NOW - timedelta(days=2), NOW)
    assert said == "on " + texts.date_time(NOW - timedelta(days=2))


def test_a_server_on_this_computer_is_not_an_internet_problem() -> None:
    for address in ("127.0.0.1:8765", "localhost:80", "[::1]:8765"):
        for kind in (Unreachable.TIMED_OUT, Unreachable.NETWORK, Unreachable.NO_SUCH_HOST):
            said = texts.unreachable_message(kind, address)
            assert "internet" not in said
            assert f"on this computer ({address})" in said
    remote = texts.unreachable_message(Unreachable.TIMED_OUT, "licenses.example.com")
    assert "Check your internet connection" in remote
