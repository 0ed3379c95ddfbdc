"""Sign-in limits by client address: password guessing stays slow, and knowing someone's
e-mail is not enough to keep them out. Each client here has a loopback address of its own
(127.0.0.x), so the server sees them as different machines."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import func, select

from app.device_proof import DeviceKey
from app.server.models import AuditEventRow
from app.server.services import Services
from app.server.services.sign_in_limits import ADDRESS_MAX_FAILURES, SIGN_IN_MAX_FAILURES
from tests.server.helpers import new_device, post_from
from tests.servers import RunningServer, proof_headers

PASSWORD = "correct horse"


def _sign_in(
    server: RunningServer, address: str, email: str, password: str, device: str
) -> tuple[int, Any, str | None]:
    body = {"email": email, "password": password, "device_id": device}
    return post_from(server, address, "/accounts/sign-in", body)


def _rows_from(services: Services, address: str) -> int:
    with services.factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEventRow)
                .where(AuditEventRow.address == address)
            )
            or 0
        )


def _by_another(server: RunningServer, payload: bytes) -> dict[str, str]:
    """The proof of a sign-in whose body names a device, signed by another machine's key."""
    device = json.loads(payload)["device_id"]
    return proof_headers(server.api("/accounts/sign-in"), payload, device, DeviceKey.generate())


def _account(services: Services) -> str:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, PASSWORD)
    return email


def test_someone_who_knows_the_email_cannot_keep_its_owner_out(
    server: RunningServer, services: Services
) -> None:
    email = _account(services)
    home, attacker, elsewhere = "127.0.0.6", "127.0.0.7", "127.0.0.8"
    laptop = new_device()
    assert _sign_in(server, home, email, PASSWORD, laptop)[0] == 200

    guesses = [
        _sign_in(server, attacker, email, f"guess {i}", new_device())[0]
        for i in range(SIGN_IN_MAX_FAILURES + 1)
    ]
    assert guesses == [401] * SIGN_IN_MAX_FAILURES + [429]
    # Guessing is as slow as before: from another address, and even with the right
    # password, a client the account does not know waits like everyone else.
    status, answer, retry_after = _sign_in(server, elsewhere, email, "guess", new_device())
    assert status == 429
    assert answer["error"]["reason"] == "email_limited"
    assert retry_after is not None
    assert 1 <= int(retry_after) <= 601
    assert _sign_in(server, attacker, email, PASSWORD, new_device())[0] == 429

    # The owner's own device, and a new device at the owner's address, still sign in.
    assert _sign_in(server, home, email, PASSWORD, laptop)[0] == 200
    assert _sign_in(server, home, email, PASSWORD, new_device())[0] == 200


def test_one_address_trying_many_emails_is_limited_on_its_own(
    server: RunningServer, services: Services
) -> None:
    sprayer, neighbour = "127.0.0.9", "127.0.0.10"
    statuses = [
        _sign_in(server, sprayer, f"nobody-{uuid.uuid4().hex}@example.com", "x" * 8, new_device())
        for _ in range(ADDRESS_MAX_FAILURES + 2)
    ]
    assert [status for status, _answer, _wait in statuses] == [401] * ADDRESS_MAX_FAILURES + [
        429,
        429,
    ]
    assert statuses[-1][1]["error"]["code"] == "rate_limited"
    assert statuses[-1][1]["error"]["reason"] == "address_limited"
    assert statuses[-1][2] is not None
    assert 1 <= int(statuses[-1][2]) <= 601
    # Once held back, a flood from that address writes nothing more to the database.
    recorded = _rows_from(services, sprayer)
    for _ in range(10):
        status, _answer, _wait = _sign_in(
            server, sprayer, "someone@example.com", "x" * 8, new_device()
        )
        assert status == 429
    assert _rows_from(services, sprayer) == recorded
    # Another address is not held back by it.
    email = _account(services)
    assert _sign_in(server, neighbour, email, PASSWORD, new_device())[0] == 200


def test_calls_refused_before_the_password_cost_the_owner_nothing(
    server: RunningServer, services: Services
) -> None:
    """A stranger naming the owner's device (signed with another key) is refused before any
    password is checked: however often, the owner on a new device at a new address still
    signs in. The stranger's own address is held back in the end."""
    email = _account(services)
    home, stranger, cafe = "127.0.0.11", "127.0.0.12", "127.0.0.13"
    laptop = new_device()
    assert _sign_in(server, home, email, PASSWORD, laptop)[0] == 200
    body = {"email": email, "password": "a guess", "device_id": laptop}
    payload = json.dumps(body).encode()
    answers = [
        post_from(server, stranger, "/accounts/sign-in", body, _by_another(server, payload))[0]
        for _ in range(ADDRESS_MAX_FAILURES + 1)
    ]
    assert answers == [401] * ADDRESS_MAX_FAILURES + [429]
    assert _sign_in(server, cafe, email, PASSWORD, new_device())[0] == 200
