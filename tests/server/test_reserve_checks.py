"""The reserve pre-check of section 3, every refusal through the real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.license import LicenseType
from app.server.services import Services
from tests.server.helpers import activate, error_of, new_device
from tests.servers import RunningServer

YEAR = 365 * 86400
DAY = 86400


def issue(services: Services, **options: object) -> str:
    kwargs: dict[str, object] = {"license_type": LicenseType.COMMERCIAL, "term_seconds": YEAR}
    kwargs |= options
    return services.operator.issue_codes(**kwargs)[0]  # type: ignore[arg-type]


def current_license(
    server: RunningServer, services: Services, device: str, **options: object
) -> str:
    response = activate(server, issue(services, **options), device)
    assert response.status_code == 201, response.text
    return str(response.json()["license"])


def check(
    server: RunningServer,
    code: str,
    device: str,
    current: str | None,
    reserve: str | None = None,
    version: str = "1.0.0",
    *,
    replace: bool = False,
) -> dict[str, object]:
    body = {
        "code": code,
        "device_id": device,
        "app_version": version,
        "current_license": current,
        "reserve_code": reserve,
        "replace_reserve": replace,
    }
    response = server.post("/reserve-checks", body)
    result: dict[str, object] = response.json()
    if response.ok:
        return result
    return {"refused": error_of(response), "status": response.status_code}


def test_a_good_reserve_is_accepted_with_the_expiry_it_will_give(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current = current_license(server, services, device, term_seconds=100 * DAY)
    result = check(server, issue(services, max_devices=3), device, current)
    assert result["action"] == "reserve"
    takes_over = datetime.fromisoformat(str(result["takes_over_at"]))
    assert datetime.fromisoformat(str(result["expires_at"])) == takes_over + timedelta(seconds=YEAR)
    assert result["max_devices"] == 3
    assert (
        services.operator.code_info(issue(services))["devices_used"] == 0
    )  # a check takes no seat


def test_without_a_usable_license_the_code_is_activated_now(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    assert check(server, issue(services), device, None)["action"] == "activate"
    trial = current_license(server, services, device, license_type=LicenseType.TRIAL)
    assert check(server, issue(services), device, trial)["action"] == "activate"
    blocked_code = issue(services)
    blocked = activate(server, blocked_code, device).json()["license"]
    services.operator.block_code(blocked_code)
    assert check(server, issue(services), device, blocked)["action"] == "activate"


def test_every_reserve_refusal(server: RunningServer, services: Services) -> None:
    device = new_device()
    current_code = issue(services, term_seconds=100 * DAY)
    current = activate(server, current_code, device).json()["license"]

    def refusal(code: str, **options: object) -> object:
        return check(server, code, device, current, **options).get("refused")  # type: ignore[arg-type]

    assert refusal("not a code") == "invalid_format"
    assert refusal("0" * 20) == "code_not_found"
    assert refusal(current_code) == "same_code"
    saved = issue(services)
    assert refusal(saved, reserve=saved) == "same_code"
    assert refusal(issue(services), reserve=saved) == "reserve_already_set"
    blocked = issue(services)
    services.operator.block_code(blocked)
    assert refusal(blocked) == "code_blocked"
    assert refusal(issue(services, license_type=LicenseType.TRIAL)) == "reserve_type_not_allowed"
    assert (
        refusal(issue(services, license_type=LicenseType.SUBSCRIPTION))
        == "reserve_type_not_allowed"
    )
    past = issue(services, valid_until=datetime.now(UTC) - timedelta(seconds=1))
    assert refusal(past) == "code_expired"
    assert refusal(issue(services, app_versions=">=2")) == "incompatible_version"
    taken = issue(services)
    activate(server, taken, new_device())
    assert refusal(taken) == "device_limit_reached"
    used_long_ago = issue(services, term_seconds=10 * DAY, max_devices=2)
    activate(server, used_long_ago, new_device())
    assert refusal(used_long_ago) == "not_later_than_current"
    closes_early = issue(services, valid_until=datetime.now(UTC) + timedelta(days=50))
    assert refusal(closes_early) == "not_later_than_current"


def test_no_reserve_beside_a_subscription(server: RunningServer, services: Services) -> None:
    device = new_device()
    current = current_license(server, services, device, license_type=LicenseType.SUBSCRIPTION)
    assert check(server, issue(services), device, current)["refused"] == "subscription_no_reserve"


def test_a_license_that_was_not_signed_here_is_unauthorized(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current = current_license(server, services, device)
    header, payload, signature = current.split(".")
    tampered = f"{header}.{payload[:-4]}AAAA.{signature}"
    for token in (tampered, current[:-6] + "AAAAAA"):
        result = check(server, issue(services), device, token)
        assert (result["refused"], result["status"]) == ("unauthorized", 401)
    other_device = check(server, issue(services), new_device(), current)
    assert other_device["refused"] == "unauthorized"


def test_refusals_that_need_no_lookup_come_first(server: RunningServer, services: Services) -> None:
    """Whatever the new code, a subscription or a saved reserve answers before 'not found'."""
    unknown = "0" * 20
    device = new_device()
    subscription = current_license(server, services, device, license_type=LicenseType.SUBSCRIPTION)
    assert check(server, unknown, device, subscription)["refused"] == "subscription_no_reserve"
    other = new_device()
    current_code = issue(services, term_seconds=100 * DAY)
    current = activate(server, current_code, other).json()["license"]
    saved = issue(services)
    assert check(server, unknown, other, current, reserve=saved)["refused"] == (
        "reserve_already_set"
    )
    assert check(server, current_code, other, current, reserve=saved)["refused"] == "same_code"
    assert check(server, saved.lower(), other, current, reserve=saved)["refused"] == "same_code"


def test_same_code_says_whether_it_is_the_current_or_the_saved_code(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current_code = issue(services, term_seconds=100 * DAY)
    current = activate(server, current_code, device).json()["license"]
    saved = issue(services)
    for code, reason in ((current_code, "current_code"), (saved, "saved_reserve")):
        response = server.post(
            "/reserve-checks",
            {
                "code": code,
                "device_id": device,
                "app_version": "1.0.0",
                "current_license": current,
                "reserve_code": saved,
            },
        )
        assert response.json()["error"]["reason"] == reason


def test_a_code_meant_to_replace_the_reserve_is_checked_in_full(
    server: RunningServer, services: Services
) -> None:
    """Replacing the reserve (domain.md section 3): each problem of the new code is told as
    itself, and a good code is accepted in the old one's place."""
    device = new_device()
    current = current_license(server, services, device, term_seconds=100 * DAY)
    saved = issue(services)
    blocked = issue(services)
    services.operator.block_code(blocked)
    taken = issue(services)
    activate(server, taken, new_device())
    for code, refusal in (
        ("0" * 20, "code_not_found"),
        (blocked, "code_blocked"),
        (taken, "device_limit_reached"),
        (saved, "same_code"),
    ):
        assert check(server, code, device, current, saved, replace=True)["refused"] == refusal
    better = issue(services, term_seconds=2 * YEAR)
    accepted = check(server, better, device, current, saved, replace=True)
    assert accepted["action"] == "reserve"
    assert accepted["replaces_reserve"] is True
    # Without asking to replace, a saved reserve is still refused as such.
    assert check(server, better, device, current, saved)["refused"] == "reserve_already_set"


def test_a_code_whose_term_ran_out_is_expired_as_a_reserve_too(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current = current_license(server, services, device, term_seconds=100 * DAY)
    used_up = issue(services, term_seconds=1, max_devices=2)
    ended = activate(server, used_up, new_device()).json()["expires_at"]
    while datetime.now(UTC) <= datetime.fromisoformat(ended):  # a one-second term
        server.post("/reserve-checks", {})
    assert check(server, used_up, device, current)["refused"] == "code_expired"


def test_a_code_closing_before_the_takeover_gives_its_reason(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    current = current_license(server, services, device, term_seconds=100 * DAY)
    closes_early = issue(services, valid_until=datetime.now(UTC) + timedelta(days=50))
    used_long_ago = issue(services, term_seconds=10 * DAY, max_devices=2)
    activate(server, used_long_ago, new_device())
    bodies = [
        server.post(
            "/reserve-checks",
            {"code": code, "device_id": device, "app_version": "1.0.0", "current_license": current},
        ).json()["error"]
        for code in (closes_early, used_long_ago)
    ]
    assert bodies[0]["code"] == bodies[1]["code"] == "not_later_than_current"
    assert bodies[0]["reason"] == "valid_until_before_takeover"
    assert "reason" not in bodies[1]
