"""domain.md section 7: licenses are judged by the later of this computer's clock and the
latest time seen; a clock set back is noticed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.engine.clock import SET_BACK_LIMIT, Clock

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class Wall:
    """This computer's clock, as a test sets it."""

    def __init__(self) -> None:
        self.reads = T0

    def __call__(self) -> datetime:
        return self.reads


def test_time_never_runs_backwards_when_the_clock_is_set_back() -> None:
    wall = Wall()
    clock = Clock(wall)
    assert clock.now() == T0
    wall.reads = T0 + timedelta(hours=2)
    assert clock.now() == T0 + timedelta(hours=2)
    wall.reads = T0 - timedelta(days=30)  # set back a month
    assert clock.now() == T0 + timedelta(hours=2)
    assert clock.set_back


def test_the_servers_time_counts_as_seen() -> None:
    wall = Wall()
    clock = Clock(wall)
    clock.seen(T0 + timedelta(days=1))  # the server's time at a sync: this clock is behind
    assert clock.now() == T0 + timedelta(days=1)
    assert clock.set_back
    clock.seen(T0 - timedelta(days=9))  # an older time changes nothing
    assert clock.now() == T0 + timedelta(days=1)


def test_a_little_drift_is_not_a_clock_set_back() -> None:
    wall = Wall()
    clock = Clock(wall)
    clock.seen(T0 + SET_BACK_LIMIT - timedelta(seconds=1))
    assert not clock.set_back
    wall.reads = T0 + SET_BACK_LIMIT
    assert not clock.set_back


def test_a_latest_time_far_ahead_of_the_servers_is_set_back_to_it() -> None:
    wall = Wall()
    clock = Clock(wall)
    clock.seen(datetime(2035, 1, 1, tzinfo=UTC))  # the computer's clock ran ahead once
    assert clock.now().year == 2035
    assert clock.set_back
    clock.heard(T0)  # the server's time at a sync
    assert clock.now() == T0
    assert not clock.set_back


def test_the_servers_time_within_the_limit_moves_nothing_back() -> None:
    wall = Wall()
    clock = Clock(wall)
    ahead = T0 + SET_BACK_LIMIT - timedelta(seconds=1)
    clock.seen(ahead)
    clock.heard(T0)
    assert clock.now() == ahead  # drift between two clocks is no reason to go back
    clock.heard(T0 + timedelta(minutes=10))
    assert clock.now() == T0 + timedelta(minutes=10)  # and the server's later time counts
