"""One reserve for all of an account's devices, saved in the console and handed to each
device in the answer to its next status sync; over real HTTP."""

from __future__ import annotations

import re
from typing import Any

from app.server.services import Services
from tests.server.console import PASSWORD, Browser, new_account
from tests.server.helpers import activate, new_device
from tests.servers import RunningServer, claims_of, issue_code, services_for

DAY = 86400


def _device(
    server: RunningServer, services: Services, email: str, term: int = 30 * DAY
) -> tuple[str, str]:
    """A device with a license of its own, signed in to the account: its id and license."""
    device = new_device()
    answer = activate(server, issue_code(services, term), device)
    assert answer.status_code == 201
    signed = server.post(
        "/accounts/sign-in", {"email": email, "password": PASSWORD, "device_id": device}
    )
    assert signed.status_code == 200
    return device, str(answer.json()["license"])


def _status(server: RunningServer, token: str, **extra: Any) -> dict[str, Any]:
    answer = server.post("/licenses/status", {"license": token, **extra})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _states(browser: Browser) -> dict[str, tuple[str | None, str | None]]:
    """Per device on the reserve page: its data-reserve-state and data-reason."""
    text = browser.get("/account/reserve").text
    found = {}
    for tag in re.findall(r"<li class=\"outcome[^>]*>", text):
        device = re.search(r'data-device-id="([^"]+)"', tag)
        state = re.search(r'data-reserve-state="([^"]+)"', tag)
        reason = re.search(r'data-reason="([^"]+)"', tag)
        assert device is not None
        found[device.group(1)] = (
            state.group(1) if state else None,
            reason.group(1) if reason else None,
        )
    return found


def _save(browser: Browser, code: str, **fields: str) -> Any:
    browser.get("/account/reserve")
    return browser.post("/account/reserve", {"code": code, **fields})


def test_saved_once_every_device_gets_it_at_its_next_sync(any_server: RunningServer) -> None:
    with services_for(any_server.db_url) as services:
        _every_device_gets_it(any_server, services)


def _every_device_gets_it(server: RunningServer, services: Services) -> None:
    email, _ = new_account(services)
    first, first_license = _device(server, services, email)
    second, second_license = _device(server, services, email, term=60 * DAY)
    reserve = issue_code(services, 365 * DAY, devices=3)
    browser = Browser(server)
    browser.sign_in(email)

    assert _save(browser, reserve.lower()).status_code == 303
    assert _states(browser) == {first: ("waiting", None), second: ("waiting", None)}

    answer = _status(server, first_license)
    offered = answer["reserve"]
    assert offered["held"] is True
    assert offered["code_last5"] == reserve[-5:]
    held = claims_of(offered["license"])
    assert held["sub"] == first
    assert held["held"] is True
    assert held["nbf"] == claims_of(first_license)["expires_at"]  # takes over at its end
    assert answer["replaces_reserve"] is False
    assert _states(browser)[first] == ("held", None)
    assert _states(browser)[second] == ("waiting", None)

    # Once the device says it has it, it is not sent again.
    again = _status(server, first_license, reserve_seat=held["lid"], reserve_saved=True)
    assert again["reserve"] is None
    assert _states(browser)[first] == ("held", None)
    second_held = claims_of(_status(server, second_license)["reserve"]["license"])
    assert second_held["nbf"] == claims_of(second_license)["expires_at"]
    assert services.operator.code_info(reserve)["devices_used"] == 2


def test_fewer_seats_than_devices_the_user_chooses(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    first, _first_license = _device(server, services, email)
    second, second_license = _device(server, services, email)
    reserve = issue_code(services, 365 * DAY, devices=1)
    browser = Browser(server)
    browser.sign_in(email)

    choice = _save(browser, reserve)
    assert choice.status_code == 200
    assert 'name="device"' in choice.text
    assert "This code has 1 free seats for 2 devices." in choice.text
    browser.csrf = re.search(r'name="csrf" value="([^"]+)"', choice.text).group(1)  # type: ignore[union-attr]
    chosen = browser.post("/account/reserve", {"code": reserve, "choosing": "1", "device": second})
    assert chosen.status_code == 303
    assert _states(browser) == {second: ("waiting", None), first: (None, None)}
    assert _status(server, second_license)["reserve"] is not None


def test_a_devices_own_reserve_is_kept_unless_the_user_replaces_it(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    device, token = _device(server, services, email)
    own = issue_code(services, 365 * DAY)
    own_hold = server.post(
        "/holds",
        {"code": own, "device_id": device, "app_version": "1.0.0", "current_license": token},
    )
    assert own_hold.status_code == 200
    reserve = issue_code(services, 365 * DAY, devices=2)
    browser = Browser(server)
    browser.sign_in(email)
    _save(browser, reserve)
    assert _states(browser)[device] == ("refused", "reserve_already_set")
    page = browser.get("/account/reserve")
    assert "Replace its own reserve code" in page.text

    replaced = browser.post(f"/account/reserve/replace/{device}", {})
    assert replaced.status_code == 303
    assert _states(browser)[device] == ("waiting", None)
    assert services.operator.code_info(own)["devices_used"] == 0  # its own hold given back
    answer = _status(server, token, reserve_seat=claims_of(own_hold.json()["license"])["lid"])
    assert answer["reserve"]["code_last5"] == reserve[-5:]
    assert answer["replaces_reserve"] is True


def test_a_reserve_only_the_device_knows_is_not_silently_replaced(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    device, token = _device(server, services, email)
    reserve = issue_code(services, 365 * DAY)
    browser = Browser(server)
    browser.sign_in(email)
    _save(browser, reserve)
    assert _states(browser)[device] == ("waiting", None)

    answer = _status(server, token, reserve_saved=True)  # saved there, not held
    assert answer["reserve"] is None
    assert _states(browser)[device] == ("refused", "reserve_already_set")
    assert services.operator.code_info(reserve)["devices_used"] == 0


def test_removing_it_frees_every_hold_and_a_device_joining_later_gets_it(
    server: RunningServer, services: Services
) -> None:
    email, _ = new_account(services)
    first, first_license = _device(server, services, email)
    without_license = new_device()
    assert (
        server.post(
            "/accounts/sign-in",
            {"email": email, "password": PASSWORD, "device_id": without_license},
        ).status_code
        == 200
    )
    reserve = issue_code(services, 365 * DAY, devices=3)
    browser = Browser(server)
    browser.sign_in(email)
    _save(browser, reserve)
    assert _states(browser)[without_license] == ("refused", "needs_license")

    later, _later_license = _device(server, services, email)
    assert _states(browser)[later] == ("waiting", None)
    assert services.operator.code_info(reserve)["devices_used"] == 2

    # Removed on one device: that device's hold only.
    held = _status(server, first_license)["reserve"]["license"]
    assert server.post("/deactivations", {"license": held}).status_code == 200
    _status(server, first_license)
    assert _states(browser)[first] == ("refused", "removed_on_device")
    assert services.operator.code_info(reserve)["devices_used"] == 1

    browser.get("/account/reserve")
    removed = browser.post("/account/reserve/remove", {})
    assert removed.headers["location"].endswith("removed=1")
    assert services.operator.code_info(reserve)["devices_used"] == 0
    page = browser.get("/account/reserve?removed=1")
    assert 'name="code"' in page.text
    assert "The reserve code was removed and its seats freed." in page.text


def test_a_code_that_cannot_be_saved_is_said_so(server: RunningServer, services: Services) -> None:
    email, _ = new_account(services)
    browser = Browser(server)
    browser.sign_in(email)
    bad = _save(browser, "not a code")
    assert bad.status_code == 400
    assert "This is not an activation code." in bad.text
    unknown = _save(browser, "AAAAA-AAAAA-AAAAA-AAAAA")
    assert unknown.status_code in (400, 409)
