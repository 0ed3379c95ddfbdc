"""A device freed from the account console (its seats and holds freed, the device unlinked):
at its next contact the engine ends the license, keeps the reserve code for the user
without its hold and without taking a seat by itself, forgets the account and says why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.client.state import DeviceState, Reserve, ReserveStatus
from app.domain.errors import REASON_SEAT_FREED, ErrorCode
from app.engine import rules
from app.engine.commands import show_json
from app.engine.rules import Device, TakeOver, Tell
from app.engine.vocabulary import Notice, SaveResult, Timing
from app.failures import Failure
from app.server.services import Services
from tests.engine.devices import EngineDevice, keyring_in_memory
from tests.engine.test_rules import T0, lic
from tests.keyrings import MemoryKeyring
from tests.server.console import new_account
from tests.servers import RunningServer, issue_code

YEAR = 365 * 86400


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    with keyring_in_memory() as backend:
        yield backend


# --- the rules, on a made-up clock ---------------------------------------------------------


def _reserve(*, held: bool) -> Reserve:
    return Reserve(
        last5="BBBBB",
        type="commercial",
        term_seconds=YEAR,
        max_devices=1,
        expires_at=T0 + timedelta(days=465),
        takes_over_at=T0 + timedelta(days=100),
        saved_at=T0,
        license_token="held-token" if held else None,
    )


def _device(reserve: Reserve | None) -> Device:
    state = DeviceState(
        device_id="device",
        license_token="token-seat",
        account_email="owner@example.com",
        reserve=reserve,
    )
    return Device(state, lic("seat"))


FREED = rules.SyncAnswer(seat=False, reason=REASON_SEAT_FREED)


@pytest.mark.parametrize("held", [True, False])
def test_a_freed_seat_ends_the_license_and_the_reserve_waits_for_the_user(held: bool) -> None:
    step = rules.synced(_device(_reserve(held=held)), FREED, None, T0)
    state = step.device.state
    assert step.device.license is None
    assert state.license_token is None
    assert state.account_email is None  # the device is no longer linked to the account
    assert step.effects == (Tell(Notice.SEAT_FREED),)
    assert state.reserve is not None
    assert not state.reserve.held  # its hold was freed too: no takeover with no network
    assert state.reserve.status is ReserveStatus.FAILED
    assert state.reserve.failure == REASON_SEAT_FREED
    assert not state.reserve.failure_transient
    # Nothing takes a seat again by itself; Try again does, when the user asks.
    assert TakeOver(manual=False) not in rules.tick(step.device, T0, idle=True).effects
    assert rules.takeover_starts(step.device, T0, manual=True).effects == (TakeOver(True),)


def test_a_freed_seat_without_a_reserve_is_told_as_freed_not_as_removed() -> None:
    step = rules.synced(_device(None), FREED, None, T0)
    assert step.device.license is None
    assert step.device.state.account_email is None
    assert step.effects == (Tell(Notice.SEAT_FREED),)
    # A seat gone for no reason the server knows is still "removed elsewhere".
    gone = rules.synced(_device(None), rules.SyncAnswer(seat=False), None, T0)
    assert gone.effects == (Tell(Notice.LICENSE_GONE),)
    assert gone.device.state.account_email == "owner@example.com"


def test_a_takeover_refused_for_a_freed_hold_takes_no_seat_and_says_why() -> None:
    device = replace(_device(_reserve(held=True)), license=None).with_state(license_token=None)
    freed = Failure(ErrorCode.NOT_FOUND, REASON_SEAT_FREED, message="freed")
    step = rules.reserve_failed(device, freed, manual=False, timing=Timing())
    reserve = step.device.state.reserve
    assert reserve is not None
    assert not reserve.held
    assert reserve.status is ReserveStatus.FAILED
    assert reserve.failure == REASON_SEAT_FREED
    assert step.device.state.account_email is None
    assert step.effects == (Tell(Notice.SEAT_FREED),)


# --- an engine and the real server -----------------------------------------------------------


@pytest.fixture
def device(qtbot: QtBot, tmp_path: Path, server: RunningServer) -> Iterator[EngineDevice]:
    made = EngineDevice(qtbot, tmp_path / "device", server.url)
    yield made
    made.engine.shutdown()


def _linked_device(device: EngineDevice, services: Services) -> tuple[str, str, int]:
    """``device`` with a license and its reserve held, signed in to a new account: the
    license's code, the reserve code and the account's id."""
    email, account_id = new_account(services)
    device.sign_in(email)
    current, reserve = issue_code(services, YEAR), issue_code(services, 2 * YEAR)
    assert device.save(current) is SaveResult.ACTIVATED
    assert device.save(reserve) is SaveResult.RESERVED
    snap = device.engine.snapshot
    assert snap.account_email == email
    assert snap.reserve is not None
    assert snap.reserve.held
    return current, reserve, account_id


def test_a_device_freed_from_the_account_is_told_at_its_next_sync(
    device: EngineDevice, services: Services
) -> None:
    current, reserve, account_id = _linked_device(device, services)
    freed = services.fleet.free(account_id, device.device_id)
    assert freed.seats == 2  # the license's seat and the reserve's hold
    device.notices.clear()

    device.until_notice(Notice.SEAT_FREED, device.engine.refresh)

    snap = device.engine.snapshot
    assert snap.license is None
    assert snap.account_email is None
    assert Notice.LICENSE_GONE not in device.notices
    assert snap.reserve is not None
    assert not snap.reserve.held
    assert snap.reserve.status is ReserveStatus.FAILED
    assert snap.reserve.failure == REASON_SEAT_FREED
    # No seat was taken back by itself, of either code.
    assert services.operator.code_info(current)["devices_used"] == 0
    assert services.operator.code_info(reserve)["devices_used"] == 0
    shown = show_json(snap)  # what `standby license show --json` prints
    assert shown["state"] == "none"
    assert shown["code_last5"] is None
    assert shown["reserve"]["state"] == "failed"
    assert shown["reserve"]["reason"] == REASON_SEAT_FREED
    assert shown["problem"] is None

    # The reserve code is still the user's: Try again activates it, online.
    device.until_notice(Notice.RESERVE_ACTIVATED, device.engine.retry)
    snap = device.engine.snapshot
    assert snap.license is not None
    assert snap.license.code_last5 == reserve[-5:]
    assert snap.reserve is None


def test_a_freed_hold_found_at_its_takeover_takes_no_seat(
    device: EngineDevice, services: Services
) -> None:
    _current, reserve, account_id = _linked_device(device, services)
    snap = device.engine.snapshot
    assert snap.device_id is not None
    assert snap.license is not None
    assert services.fleet.free(account_id, snap.device_id).seats == 2
    device.notices.clear()

    # Removing the license (no sync since) hands over to the held reserve, whose start is
    # moved to now through the server: refused, the hold having been freed.
    device.until_notice(Notice.SEAT_FREED, lambda: device.engine.remove_license())

    snap = device.engine.snapshot
    assert snap.license is None
    assert snap.account_email is None
    assert Notice.RESERVE_ACTIVATED not in device.notices
    assert snap.reserve is not None
    assert not snap.reserve.held
    assert snap.reserve.failure == REASON_SEAT_FREED
    assert services.operator.code_info(reserve)["devices_used"] == 0
