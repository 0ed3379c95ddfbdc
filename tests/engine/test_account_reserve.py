"""The account's reserve on a real device engine against the real server: saved once in the
account console, held by the device from its next sync (never in place of its own reserve
unless the user chose so), and taking over with no network at the license's end; and the
device's name, which the server learns at sign-in and at the sync after a rename."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.client.state import Reserve, ReserveSource
from app.domain import codes
from app.engine import account
from app.engine import engine as engine_module
from app.engine.commands import show_json
from app.engine.vocabulary import Notice, Ours, SaveResult, Timing
from app.server.services import Services
from tests.engine.devices import WAIT_MS, EngineDevice, keyring_in_memory
from tests.keyrings import MemoryKeyring
from tests.server.console import new_account
from tests.servers import RunningServer, issue_code, running_server, services_for

YEAR = 365 * 86400
#: Quick clock checks and retries, and a short wait to connect to a server that is gone.
TIMING = Timing(clock_check=0.2, retry_first=0.3, retry_max=2.0)
CONNECT_TIMEOUT = 2.0


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    with keyring_in_memory() as backend:
        yield backend


MakeDevice = Callable[[str], EngineDevice]


@pytest.fixture
def make_device(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeDevice]:
    """Engines on data directories of their own (shut down afterwards)."""
    made: list[EngineDevice] = []

    def make(url: str) -> EngineDevice:
        folder = tmp_path / f"device-{len(made)}"
        made.append(
            EngineDevice(qtbot, folder, url, timing=TIMING, connect_timeout=CONNECT_TIMEOUT)
        )
        return made[-1]

    yield make
    for device in made:
        device.engine.shutdown()


def _signed_in_device(
    make_device: MakeDevice, url: str, services: Services
) -> tuple[EngineDevice, str, int]:
    """A new device signed in to a new account: the device, the account's e-mail and id."""
    device = make_device(url)
    email, account_id = new_account(services)
    device.sign_in(email)
    return device, email, account_id


def _held_reserve(device: EngineDevice, source: ReserveSource) -> Reserve:
    """The device's reserve, which is held and came from ``source``."""
    reserve = device.engine.snapshot.reserve
    assert reserve is not None
    assert reserve.held
    assert reserve.source is source
    return reserve


def _outcomes(services: Services, account_id: int) -> dict[str, str]:
    """Per device, the console's state of the account's reserve."""
    view = services.account_reserves.show(account_id)
    assert view is not None
    return {outcome.device_id: outcome.state for outcome in view.devices}


def _name_on_server(services: Services, account_id: int) -> str | None:
    (device,) = services.fleet.devices(account_id)
    return device.name


def test_the_accounts_reserve_is_held_from_the_next_sync_and_said_so(
    make_device: MakeDevice,
    server: RunningServer,
    services: Services,
    memory_keyring: MemoryKeyring,
) -> None:
    device, _email, account_id = _signed_in_device(make_device, server.url, services)
    # Sign-in named the device after the computer, for the account console.
    assert _name_on_server(services, account_id) == account.host_name()
    assert device.save(issue_code(services, YEAR)) is SaveResult.ACTIVATED
    reserve = issue_code(services, 2 * YEAR, devices=3)
    services.account_reserves.save(account_id, reserve)
    assert _outcomes(services, account_id) == {device.device_id: "waiting"}

    device.sync()

    held = _held_reserve(device, ReserveSource.ACCOUNT)
    assert held.last5 == reserve[-5:]
    snap = device.engine.snapshot
    assert snap.license is not None
    assert held.takes_over_at == snap.license.expires_at
    assert device.kept_code(memory_keyring) is None  # no code on the device: its license
    shown = show_json(snap)  # what `standby license show --json` prints
    assert shown["reserve"]["state"] == "held"
    assert shown["reserve"]["source"] == "account"
    assert _outcomes(services, account_id) == {device.device_id: "held"}
    assert services.operator.code_info(reserve)["devices_held"] == 1

    # The next sync says the device has it: the server stops handing it over (it would
    # come again as a new reserve, saved now), and the hold is renewed as any held one.
    device.sync()
    assert _held_reserve(device, ReserveSource.ACCOUNT).saved_at == held.saved_at
    assert services.operator.code_info(reserve)["devices_held"] == 1


def test_a_rename_reaches_the_server_at_the_next_sync(
    make_device: MakeDevice, server: RunningServer, services: Services
) -> None:
    device = make_device(server.url)
    email, account_id = new_account(services)
    assert device.save(issue_code(services, YEAR)) is SaveResult.ACTIVATED
    assert device.engine.rename_device("  Kitchen   laptop ")
    assert device.engine.snapshot.device_name == "Kitchen laptop"
    device.sign_in(email)  # sent with the sign-in
    assert _name_on_server(services, account_id) == "Kitchen laptop"

    assert not device.engine.rename_device("")  # no name: nothing changes
    assert device.engine.rename_device("Office PC")
    device.wait_idle()  # the rename asked for a sync
    assert _name_on_server(services, account_id) == "Office PC"


def test_the_devices_own_reserve_stays_unless_the_user_chose_to_replace_it(
    make_device: MakeDevice,
    server: RunningServer,
    services: Services,
    memory_keyring: MemoryKeyring,
) -> None:
    device, _email, account_id = _signed_in_device(make_device, server.url, services)
    assert device.save(issue_code(services, YEAR)) is SaveResult.ACTIVATED
    own = issue_code(services, 2 * YEAR)
    assert device.save(own) is SaveResult.RESERVED
    assert device.kept_code(memory_keyring) == codes.normalize(own)
    shared = issue_code(services, 3 * YEAR, devices=2)
    services.account_reserves.save(account_id, shared)

    device.sync()
    assert _held_reserve(device, ReserveSource.DEVICE).last5 == own[-5:]
    assert _outcomes(services, account_id) == {device.device_id: "refused"}

    # In the console the user chooses that the account's reserve replaces this device's.
    assert services.account_reserves.replace_on(account_id, device.device_id)
    device.sync()
    assert _held_reserve(device, ReserveSource.ACCOUNT).last5 == shared[-5:]
    device.qtbot.waitUntil(lambda: device.kept_code(memory_keyring) is None, timeout=WAIT_MS)
    assert services.operator.code_info(own)["devices_used"] == 0  # freed by the server
    assert services.operator.code_info(shared)["devices_held"] == 1
    assert _outcomes(services, account_id) == {device.device_id: "held"}


def test_signed_out_the_device_shows_no_account_even_after_a_sync(
    make_device: MakeDevice, server: RunningServer, services: Services
) -> None:
    device, email, _account_id = _signed_in_device(make_device, server.url, services)
    assert device.save(issue_code(services, YEAR)) is SaveResult.ACTIVATED
    assert device.engine.snapshot.account_email == email
    with device.qtbot.waitSignal(device.engine.signOutFinished, timeout=WAIT_MS) as out:
        device.engine.sign_out()
    assert out.args[0] is None
    assert device.engine.snapshot.account_email is None
    device.sync()  # the server still links it (it has no sign-out): not taken back
    assert device.engine.snapshot.account_email is None
    device.sign_in(email)
    assert device.engine.snapshot.account_email == email


def test_with_the_server_stopped_the_accounts_reserve_takes_over_at_the_expiry(
    make_device: MakeDevice,
    fresh_sqlite_url: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with services_for(fresh_sqlite_url) as services:
        with running_server(fresh_sqlite_url) as server:
            device, _email, account_id = _signed_in_device(make_device, server.url, services)
            assert device.save(issue_code(services, YEAR)) is SaveResult.ACTIVATED
            reserve = issue_code(services, 2 * YEAR)
            services.account_reserves.save(account_id, reserve)
            device.sync()
            _held_reserve(device, ReserveSource.ACCOUNT)
        # The server is stopped. A year and a day pass (the engine's clock): the license
        # ends, and the account's reserve takes over with no network and no code here.
        assert device.kept_code(memory_keyring) is None
        woke = datetime.now(UTC) + timedelta(days=366)
        monkeypatch.setattr(engine_module, "utcnow", lambda: woke)
        device.until_notice(Notice.RESERVE_ACTIVATED, lambda: None)
        snap = device.engine.snapshot
        assert snap.license is not None
        assert snap.license.code_last5 == reserve[-5:]
        assert snap.reserve is None
        assert snap.unreachable is not None  # it really was offline
        assert show_json(snap)["state"] == "active"
        assert services.operator.code_info(reserve)["devices_held"] == 1  # not told yet


def test_the_accounts_reserve_removed_on_the_web_fails_saying_why_with_no_code_here(
    make_device: MakeDevice, server: RunningServer, services: Services
) -> None:
    device, _email, account_id = _signed_in_device(make_device, server.url, services)
    assert device.save(issue_code(services, YEAR)) is SaveResult.ACTIVATED
    services.account_reserves.save(account_id, issue_code(services, 2 * YEAR))
    device.sync()
    assert services.account_reserves.remove(account_id) == 1  # its held seat freed

    # The next sync finds the hold gone: the code that would take over online is not on
    # this device, so the user is told now, not when the license ends.
    device.until_notice(Notice.RESERVE_AT_RISK, device.engine.refresh)
    reserve = device.engine.snapshot.reserve
    assert reserve is not None
    assert not reserve.held
    assert reserve.failure == Ours.ACCOUNT_RESERVE_GONE
    assert show_json(device.engine.snapshot)["reserve"]["reason"] == Ours.ACCOUNT_RESERVE_GONE

    # Removing the license hands over to the reserve, which fails the same way: no crash,
    # no seat taken, the reason said.
    device.until_notice(Notice.RESERVE_FAILED, device.engine.remove_license)
    snap = device.engine.snapshot
    assert snap.license is None
    assert snap.reserve is not None
    assert snap.reserve.failure == Ours.ACCOUNT_RESERVE_GONE
    assert not snap.reserve.failure_transient
