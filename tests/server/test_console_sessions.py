"""Sessions of the account console, against the real database: a new token at each
sign-in, only its hash stored, ended by idleness, by age, by signing out here or everywhere;
and a device's last contact, which the console will show."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.server.models import AccountRow, ConsoleSessionRow, DeviceRow
from app.server.services import Services
from app.server.services.sessions import IDLE, LONGEST, csrf_token
from tests.server.helpers import activate, new_device
from tests.servers import RunningServer, issue_code

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _account(services: Services) -> int:
    email = f"console-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(email, "a long password")
    with services.store.session() as session:
        return session.scalars(select(AccountRow.id).where(AccountRow.email == email)).one()


@pytest.fixture
def account(services: Services) -> int:
    return _account(services)


def test_a_session_signs_in_its_browser_only(services: Services, account: int) -> None:
    first = services.sessions.start(account, START)
    second = services.sessions.start(account, START)
    assert first != second  # a new token at every sign-in
    found = services.sessions.find(first, START + timedelta(minutes=5))
    assert found is not None
    assert found.account_id == account
    assert found.email.startswith("console-")
    assert services.sessions.find("not-a-token", START) is None
    assert services.sessions.find(None, START) is None
    # Only the token's hash is kept.
    with services.store.session() as session:
        stored = session.scalars(
            select(ConsoleSessionRow.token_hash).where(ConsoleSessionRow.account_id == account)
        ).all()
    assert hashlib.sha256(first.encode()).digest() in stored
    assert all(first.encode() not in value for value in stored)


def test_each_session_has_its_own_csrf_token(services: Services, account: int) -> None:
    first = services.sessions.find(services.sessions.start(account, START), START)
    second = services.sessions.find(services.sessions.start(account, START), START)
    assert first is not None
    assert second is not None
    assert first.csrf != second.csrf
    assert first.csrf_matches(first.csrf)
    assert not first.csrf_matches(second.csrf)
    assert not first.csrf_matches(None)
    assert not first.csrf_matches("")


def test_a_session_ends_after_30_idle_minutes_but_not_while_used(
    services: Services, account: int
) -> None:
    token = services.sessions.start(account, START)
    moment = START
    for _ in range(4):  # used every 20 minutes: it lives on
        moment += timedelta(minutes=20)
        assert services.sessions.find(token, moment) is not None
    assert services.sessions.find(token, moment + IDLE) is None
    assert services.sessions.find(token, moment + timedelta(minutes=1)) is None  # gone


def test_a_session_ends_12_hours_after_it_began_however_used(
    services: Services, account: int
) -> None:
    token = services.sessions.start(account, START)
    moment = START
    while moment + timedelta(minutes=25) < START + LONGEST:
        moment += timedelta(minutes=25)
        assert services.sessions.find(token, moment) is not None
    assert services.sessions.find(token, START + LONGEST) is None


def test_signing_out_here_and_everywhere(services: Services, account: int) -> None:
    here, there = services.sessions.start(account, START), services.sessions.start(account, START)
    other_account = _account(services)
    elsewhere = services.sessions.start(other_account, START)
    services.sessions.end(here)
    assert services.sessions.find(here, START) is None
    assert services.sessions.find(there, START) is not None
    assert services.sessions.end_everywhere(account) == 1
    assert services.sessions.find(there, START) is None
    assert services.sessions.find(elsewhere, START) is not None  # another account's stays


def test_the_csrf_token_comes_from_the_session_token_alone() -> None:
    assert csrf_token("a") == csrf_token("a")
    assert csrf_token("a") != csrf_token("b")


def test_a_status_sync_records_the_devices_last_contact(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    activated = activate(server, issue_code(services), device)
    assert activated.status_code == 201
    before = datetime.now(UTC)
    synced = server.post("/licenses/status", {"license": activated.json()["license"]})
    assert synced.status_code == 200
    with services.store.session() as session:
        seen = session.scalars(select(DeviceRow.last_seen_at).where(DeviceRow.id == device)).one()
    assert seen is not None
    assert seen >= before - timedelta(seconds=1)
