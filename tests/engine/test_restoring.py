"""The server's word on what a device holds, taken in (app.engine.restoring): pure, on a
made-up clock."""

from __future__ import annotations

from dataclasses import replace

from app.client.state import Recovery
from app.engine.restoring import RestoreAnswer, RestoredSeat, restored
from app.engine.rules import ForgetReserveCode, FreeSeat, Tell
from app.engine.vocabulary import Notice
from tests.engine.test_rules import DAY, T0, device, lic, reserve


def seat(
    license_seat: str, *, ends_in: int = 100, held: bool = False, **changes: object
) -> RestoredSeat:
    base = lic(license_seat, ends=T0 + ends_in * DAY)
    if held:
        base = replace(base, starts_at=T0 + 100 * DAY, code_last5="BBBBB", held=True)
    found = RestoredSeat(base, held=held, blocked=False, devices_used=1, term_seconds=365 * 86400)
    return replace(found, **changes)  # type: ignore[arg-type]


def answer(*seats: RestoredSeat) -> RestoreAnswer:
    return RestoreAnswer(seats, account="owner@example.com", server_time=T0)


def test_a_lost_record_gets_its_license_and_its_held_reserve_back() -> None:
    lost = device(recovery=Recovery.LOST)
    step = restored(lost, answer(seat("in-use"), seat("held", ends_in=465, held=True)), T0)
    state = step.device.state
    assert step.device.license is not None
    assert step.device.license.seat_id == "in-use"
    assert state.license_token == "token-in-use"
    assert state.reserve is not None
    assert state.reserve.held
    assert (state.reserve.last5, state.reserve.takes_over_at) == ("BBBBB", T0 + 100 * DAY)
    assert state.recovery is None
    assert state.account_email == "owner@example.com"
    assert step.effects == (Tell(Notice.STATE_RESTORED),)


def test_of_several_seats_in_use_the_one_that_protects_is_kept_and_the_rest_given_back() -> None:
    old, blocked = seat("ended", ends_in=-5), seat("blocked", ends_in=300, blocked=True)
    current = seat("current", ends_in=200)
    step = restored(device(recovery=Recovery.LOST), answer(old, blocked, current), T0)
    assert step.device.license is not None
    assert step.device.license.seat_id == "current"
    freed = {effect.token for effect in step.effects if isinstance(effect, FreeSeat)}
    assert freed == {"token-ended", "token-blocked"}


def test_with_only_ended_seats_the_latest_is_the_license_and_the_device_is_not_protected() -> None:
    step = restored(
        device(recovery=Recovery.LOST), answer(seat("a", ends_in=-9), seat("b", ends_in=-1)), T0
    )
    assert step.device.license is not None
    assert step.device.license.seat_id == "b"


def test_a_held_reserve_the_server_no_longer_holds_never_comes_back() -> None:
    held = reserve(license_token="token-held")
    step = restored(device(lic(), held, recovery=Recovery.COPY), answer(seat("seat-1")), T0)
    assert step.device.state.reserve is None
    assert ForgetReserveCode() in step.effects


def test_a_reserve_that_takes_over_online_is_the_devices_own_and_stays() -> None:
    online = reserve()  # no license signed ahead: the code in the store takes over
    step = restored(device(lic(), online, recovery=Recovery.REJECTED), answer(seat("seat-1")), T0)
    assert step.device.state.reserve == online
    assert ForgetReserveCode() not in step.effects


def test_nothing_held_on_the_server_means_no_license() -> None:
    step = restored(device(lic(), recovery=Recovery.REJECTED), answer(), T0)
    assert step.device.license is None
    assert step.device.state.license_token is None
    assert step.device.state.recovery is None
