"""The account's rules on a made-up clock (no Qt, no server): the reserve the account saves
for all its devices, the device's name, signing out; and the state file that keeps them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.client.state import (
    DeviceState,
    Reserve,
    ReserveSource,
    ReserveStatus,
    StateFile,
    parse_state,
)
from app.domain.errors import ErrorCode
from app.engine import account
from app.engine.rules import Device, ForgetReserveCode, FreeSeat, SyncAnswer, Tell
from app.engine.vocabulary import Notice, Ours
from app.failures import Failure
from tests.engine.test_rules import DAY, T0, lic


def _reserve(source: ReserveSource, token: str | None = "held-own") -> Reserve:  # noqa: S107
    return Reserve(
        last5="BBBBB" if source is ReserveSource.DEVICE else "CCCCC",
        type="commercial",
        term_seconds=365 * 86400,
        max_devices=1,
        expires_at=T0 + 465 * DAY,
        takes_over_at=T0 + 100 * DAY,
        saved_at=T0,
        license_token=token,
        source=source,
    )


OFFERED = _reserve(ReserveSource.ACCOUNT, token="held-account")


def _device(reserve: Reserve | None = None, **state: object) -> Device:
    base = DeviceState(
        device_id="device",
        license_token="token-seat",
        account_email="owner@example.com",
        reserve=reserve,
    )
    return Device(base.with_(**state), lic("seat"))


def _sync(device: Device, *, replaces: bool = False, **status: object) -> Device:
    answer = SyncAnswer(
        seat=True,
        account="owner@example.com",
        reserve=OFFERED,
        replaces_reserve=replaces,
        **status,  # type: ignore[arg-type]
    )
    step = account.synced(device, answer, lic("seat"), T0)
    return step.device


def test_a_device_with_no_reserve_holds_the_accounts_from_the_sync() -> None:
    step = account.synced(_device(), SyncAnswer(seat=True, reserve=OFFERED), lic("seat"), T0)
    assert step.device.state.reserve == OFFERED
    assert step.effects == ()  # nothing of the device's own to forget


def test_the_devices_own_reserve_is_never_silently_replaced() -> None:
    own = _reserve(ReserveSource.DEVICE)
    assert _sync(_device(own)).state.reserve == own
    failed = replace(own, status=ReserveStatus.FAILED, license_token=None)
    assert _sync(_device(failed)).state.reserve == failed


def test_chosen_in_the_console_it_replaces_the_own_reserve_whose_code_is_forgotten() -> None:
    own = _reserve(ReserveSource.DEVICE)
    answer = SyncAnswer(seat=True, reserve=OFFERED, replaces_reserve=True)
    step = account.synced(_device(own), answer, lic("seat"), T0)
    assert step.device.state.reserve == OFFERED
    # Forgotten as removing a reserve does; its held seat the server freed itself.
    assert ForgetReserveCode() in step.effects
    assert not any(isinstance(effect, FreeSeat) for effect in step.effects)


def test_an_earlier_reserve_of_the_account_gives_way_to_the_accounts_new_one() -> None:
    earlier = replace(OFFERED, license_token=None, status=ReserveStatus.FAILED)
    assert _sync(_device(earlier)).state.reserve == OFFERED


def test_no_reserve_is_installed_without_a_license_or_once_signed_out() -> None:
    gone = account.synced(_device(), SyncAnswer(seat=False, reserve=OFFERED), None, T0)
    assert gone.device.state.reserve is None
    out = account.signed_out(_device())
    assert out.state.account_email is None
    synced = _sync(out)
    assert synced.state.reserve is None
    assert synced.state.account_email is None  # the server still links it: not taken back


def test_signing_in_again_ends_the_local_sign_out_and_records_the_name_sent() -> None:
    out = account.signed_out(_device())
    step = account.signed_in(out, "owner@example.com", "Kitchen laptop")
    assert step.device.state.account_email == "owner@example.com"
    assert not step.device.state.signed_out
    assert step.device.state.name_sent == "Kitchen laptop"


def test_the_name_is_sent_until_a_sync_has_told_the_server() -> None:
    state = _device().state
    assert account.device_name(state) == account.host_name()
    assert account.name_to_send(state) == account.host_name()
    renamed = account.renamed(_device(), "  Office   PC ")
    assert renamed.state.device_name == "Office PC"
    assert account.name_to_send(renamed.state) == "Office PC"
    told = _sync(renamed, name_sent="Office PC")
    assert account.name_to_send(told.state) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\x07bell"])
def test_a_name_that_cannot_be_one_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="1 to 100"):
        account.renamed(_device(), name)


def test_the_accounts_reserve_whose_hold_is_gone_is_told_as_at_risk_at_once() -> None:
    gone = Failure(ErrorCode.NOT_FOUND, message="hold gone")
    step = account.rechecked(_device(OFFERED), None, gone)
    reserve = step.device.state.reserve
    assert reserve is not None
    assert reserve.status is ReserveStatus.FAILED
    assert reserve.failure == Ours.ACCOUNT_RESERVE_GONE
    assert not reserve.held
    assert step.effects == (Tell(Notice.RESERVE_AT_RISK),)
    # The device's own reserve still takes over online, with its code.
    own = account.rechecked(_device(_reserve(ReserveSource.DEVICE)), None, gone)
    assert own.device.state.reserve is not None
    assert own.device.state.reserve.status is ReserveStatus.SAVED
    assert own.effects == ()


def test_the_state_file_keeps_the_source_and_the_name_and_reads_older_files(
    tmp_path: Path,
) -> None:
    file = StateFile(tmp_path)
    state = _device(OFFERED, device_name="Office PC", name_sent="Office PC", signed_out=True)
    file.save(state.state)
    assert file.read().state == state.state
    raw = json.loads(file.path.read_text())
    assert raw["reserve"]["source"] == "account"
    # A file written before these existed: the reserve is the device's own, no name given.
    for key in ("device_name", "name_sent", "signed_out"):
        del raw[key]
    del raw["reserve"]["source"]
    older = parse_state(json.dumps(raw).encode())
    assert older.reserve is not None
    assert older.reserve.source is ReserveSource.DEVICE
    assert (older.device_name, older.name_sent, older.signed_out) == (None, None, False)
