"""Activation, deactivation and status through the real server over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import func, select

from app.domain.license import LicenseType
from app.server.models import AuditEventRow
from app.server.services import Services
from tests.server.helpers import activate, error_of, new_device
from tests.servers import RunningServer, claims_of

YEAR = 365 * 86400


def test_activation_returns_a_signed_license_without_the_code(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=YEAR, max_devices=2
    )
    response = activate(server, code, device_id)
    assert response.status_code == 201
    body = response.json()
    claims = claims_of(body["license"])
    assert claims["sub"] == device_id
    assert claims["type"] == "commercial"
    assert claims["max_devices"] == 2
    assert claims["code_last5"] == code[-5:]
    assert claims["expires_at"] == claims["activated_at"] + YEAR  # type: ignore[operator]
    assert code.replace("-", "") not in body["license"]
    assert code not in str(claims)
    assert body["devices_used"] == 1
    assert body["state"] == "active"


def test_input_is_normalised_like_people_type_it(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=YEAR)
    sloppy = "  " + code.lower().replace("-", " ").replace("0", "o") + " \n"
    assert activate(server, sloppy, device_id).status_code == 201


def test_activating_again_returns_the_same_seat(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=YEAR)
    first = activate(server, code, device_id)
    again = activate(server, code, device_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert claims_of(again.json()["license"])["lid"] == claims_of(first.json()["license"])["lid"]
    assert services.operator.code_info(code)["devices_used"] == 1


def test_expiry_counts_from_the_first_activation_on_any_device(
    server: RunningServer, services: Services
) -> None:
    [code] = services.operator.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=YEAR, max_devices=2
    )
    first = claims_of(activate(server, code, new_device()).json()["license"])
    later = datetime.fromtimestamp(first["device_activated_at"], UTC) + timedelta(seconds=1)  # type: ignore[arg-type]
    while datetime.now(UTC) < later:  # licenses carry whole seconds: let one pass
        requests.get(server.api("/health"), timeout=5)
    second = claims_of(activate(server, code, new_device()).json()["license"])
    assert second["device_activated_at"] > first["device_activated_at"]  # type: ignore[operator]
    assert second["activated_at"] == first["activated_at"]
    assert second["expires_at"] == first["expires_at"]
    shown = services.operator.code_info(code)
    assert shown["expires_at"] == datetime.fromtimestamp(first["expires_at"], UTC).isoformat()  # type: ignore[arg-type]


def test_refusals_of_activation(server: RunningServer, services: Services, device_id: str) -> None:
    def issue(**options: object) -> str:
        kwargs: dict[str, object] = {"license_type": LicenseType.COMMERCIAL, "term_seconds": YEAR}
        kwargs |= options
        return services.operator.issue_codes(**kwargs)[0]  # type: ignore[arg-type]

    malformed = activate(server, "ABCDE-12345", device_id)
    assert (malformed.status_code, error_of(malformed)) == (422, "invalid_format")
    unknown = "0000000000000000000" + "0"  # well formed: the check symbol of zeros is 0
    assert error_of(activate(server, unknown, device_id)) == "code_not_found"
    past = issue(valid_until=datetime.now(UTC) - timedelta(seconds=1))
    assert error_of(activate(server, past, device_id)) == "code_expired"
    blocked = issue()
    services.operator.block_code(blocked)
    assert error_of(activate(server, blocked, device_id)) == "code_blocked"
    old = issue(app_versions="<1.0")
    assert error_of(activate(server, old, device_id)) == "incompatible_version"
    bad_version = activate(server, issue(), device_id, version="not a version")
    assert error_of(bad_version) == "validation_error"
    taken = issue()
    assert activate(server, taken, new_device()).status_code == 201
    full = activate(server, taken, device_id)
    assert (full.status_code, error_of(full)) == (409, "device_limit_reached")


def test_a_code_whose_term_ended_cannot_start_on_a_new_device(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=1, max_devices=2
    )
    first = activate(server, code, new_device()).json()
    expired_at = datetime.fromisoformat(first["expires_at"])
    while datetime.now(UTC) <= expired_at:  # the term is one second; wait for it to end
        requests.get(server.api("/health"), timeout=5)
    assert error_of(activate(server, code, device_id)) == "code_expired"


def test_account_required_then_sign_in_then_activation(
    server: RunningServer, services: Services, device_id: str
) -> None:
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, "correct horse")
    [code] = services.operator.issue_codes(
        license_type=LicenseType.COMMERCIAL, term_seconds=YEAR, requires_account=True
    )
    refused = activate(server, code, device_id)
    assert (refused.status_code, error_of(refused)) == (403, "account_required")
    wrong = server.post(
        "/accounts/sign-in", {"email": email, "password": "wrong horse", "device_id": device_id}
    )
    assert (wrong.status_code, error_of(wrong)) == (401, "unauthorized")
    signed_in = server.post(
        "/accounts/sign-in",
        {"email": email.upper(), "password": "correct horse", "device_id": device_id},
    )
    assert signed_in.status_code == 200
    assert signed_in.json()["email"] == email
    assert activate(server, code, device_id).status_code == 201
    status = server.post(
        "/licenses/status", {"license": activate(server, code, device_id).json()["license"]}
    )
    assert status.json()["account"] == email


def test_repeated_wrong_passwords_are_rate_limited(
    server: RunningServer, services: Services
) -> None:
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, "correct horse")
    body = {"email": email, "password": "guess", "device_id": new_device()}
    codes_seen = [error_of(server.post("/accounts/sign-in", body)) for _ in range(6)]
    assert codes_seen == ["unauthorized"] * 5 + ["rate_limited"]
    limited = server.post("/accounts/sign-in", {**body, "password": "correct horse"})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"]


def test_deactivation_frees_the_seat(server: RunningServer, services: Services) -> None:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=YEAR)
    holder, newcomer = new_device(), new_device()
    token = activate(server, code, holder).json()["license"]
    assert error_of(activate(server, code, newcomer)) == "device_limit_reached"
    assert server.post("/deactivations", {"license": token}).json() == {"freed": True}
    assert server.post("/deactivations", {"license": token}).json() == {"freed": False}
    assert services.operator.code_info(code)["devices_used"] == 0
    assert activate(server, code, newcomer).status_code == 201
    assert services.operator.code_info(code)["devices_used"] == 1


def test_status_reports_a_block_and_a_removed_seat(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=YEAR)
    token = activate(server, code, device_id).json()["license"]
    before = server.post("/licenses/status", {"license": token}).json()
    assert (before["state"], before["blocked"], before["seat"]) == ("active", False, True)
    services.operator.block_code(code)
    after = server.post("/licenses/status", {"license": token}).json()
    assert (after["state"], after["blocked"]) == ("blocked", True)
    assert claims_of(after["license"])["lid"] == claims_of(token)["lid"]
    server.post("/deactivations", {"license": token})
    gone = server.post("/licenses/status", {"license": token}).json()
    assert (gone["seat"], gone["state"]) == (False, "none")


def test_every_decision_lands_in_the_audit_log(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=YEAR)
    token = activate(server, code, device_id).json()["license"]
    activate(server, code, device_id)
    activate(server, code, new_device())  # refused: the only seat is taken
    server.post("/deactivations", {"license": token})
    server.post("/deactivations", {"license": token})
    services.operator.block_code(code)
    activate(server, code, device_id)
    server.post("/licenses/status", {"license": token[:-4] + "AAAA"})
    with services.factory() as session:
        rows = session.execute(
            select(AuditEventRow.event, AuditEventRow.error_code, AuditEventRow.code_last5)
            .where(AuditEventRow.code_last5 == code[-5:])
            .order_by(AuditEventRow.id)
        ).all()
    assert [(event, error) for event, error, _ in rows] == [
        ("activation", None),
        ("activation_repeated", None),
        ("activation_refused", "device_limit_reached"),
        ("deactivation", None),
        ("deactivation_repeated", None),
        ("block", None),
        ("activation_refused", "code_blocked"),
    ]
    with services.factory() as session:
        forged = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(
                AuditEventRow.event == "license_refused", AuditEventRow.error_code == "unauthorized"
            )
        )
    assert forged


def test_no_code_or_password_is_stored_in_plain_text(
    server: RunningServer, services: Services, device_id: str
) -> None:
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=YEAR)
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, "a very secret phrase")
    activate(server, code, device_id)
    server.post("/reserve-checks", {"code": code, "device_id": device_id, "app_version": "1.0"})
    server.post(
        "/accounts/sign-in",
        {"email": email, "password": "a very secret phrase", "device_id": device_id},
    )
    path = Path(server.db_url.removeprefix("sqlite:///"))
    stored = b"".join(
        file.read_bytes() for file in path.parent.glob(path.name + "*") if file.is_file()
    )
    assert email.encode() in stored  # the files are readable, and the account is there
    for secret in (code, code.replace("-", ""), code[:15], "a very secret phrase"):
        assert secret.encode() not in stored
    assert server.log.read_text().count(code[:10]) == 0
