"""A device proves it is itself (domain.md section 8): knowing a device's id, or holding a
copy of its license, is not enough to act for it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import select, update

from app.client.api import ActivationApi, ApiError
from app.device_proof import (
    KEY_HEADER,
    PROOF_HEADER,
    DeviceKey,
    ProofError,
    verify,
)
from app.device_proof import Refusal as ProofRefusal
from app.domain.errors import ErrorCode
from app.server.services import Services
from app.server.tables import DEVICES
from tests.server.helpers import activate, error_of, new_device
from tests.servers import RunningServer, device_key, issue_code, proof_headers, services_for

PASSWORD = "correct horse"


@pytest.fixture
def both(any_server: RunningServer) -> Iterator[tuple[RunningServer, Services]]:
    with services_for(any_server.db_url) as services:
        yield any_server, services


def _refusal(response: requests.Response) -> tuple[int, str, str | None]:
    error = response.json()["error"]
    return response.status_code, error_of(response), error.get("reason")


def _stored_key(services: Services, device: str) -> str | None:
    with services.store.connection() as connection:
        stored = connection.execute(
            select(DEVICES.c.public_key).where(DEVICES.c.id == device)
        ).scalar_one()
    return None if stored is None else str(stored)


def test_signing_in_with_someone_elses_device_id_does_not_take_their_device(
    both: tuple[RunningServer, Services],
) -> None:
    server, services = both
    victim = new_device()
    token = activate(server, issue_code(services), victim).json()["license"]
    attacker_email = f"attacker-{uuid.uuid4().hex[:8]}@example.com"
    services.accounts.create(attacker_email, PASSWORD)
    body = {"email": attacker_email, "password": PASSWORD, "device_id": victim}

    hijack = server.post("/accounts/sign-in", body, key=DeviceKey.generate())
    assert _refusal(hijack) == (401, "device_not_proven", "other_device_key")
    unsigned = server.post("/accounts/sign-in", body, headers={})
    assert _refusal(unsigned) == (401, "device_not_proven", "proof_missing")

    status = server.post("/licenses/status", {"license": token})
    assert status.status_code == 200
    assert status.json()["account"] is None  # still nobody's: not the attacker's
    # The attacker's own device signs in to the attacker's account as before.
    own = server.post("/accounts/sign-in", {**body, "device_id": new_device()})
    assert own.status_code == 200


def test_a_second_machine_reusing_a_device_id_cannot_use_or_free_its_seat(
    both: tuple[RunningServer, Services],
) -> None:
    server, services = both
    code = issue_code(services)
    first = new_device()
    token = activate(server, code, first).json()["license"]
    copy = DeviceKey.generate()  # the same id (a copied data folder), another machine's key

    again = server.post(
        "/activations", {"code": code, "device_id": first, "app_version": "1.0.0"}, key=copy
    )
    assert _refusal(again) == (401, "device_not_proven", "other_device_key")
    freed = server.post("/deactivations", {"license": token}, key=copy)
    assert _refusal(freed) == (401, "device_not_proven", "other_device_key")
    status = server.post("/licenses/status", {"license": token}, key=copy)
    assert _refusal(status) == (401, "device_not_proven", "other_device_key")
    assert services.operator.code_info(code)["devices_used"] == 1

    # The device itself still can.
    assert server.post("/licenses/status", {"license": token}).json()["seat"] is True
    assert server.post("/deactivations", {"license": token}).json() == {"freed": True}
    assert services.operator.code_info(code)["devices_used"] == 0


def _forget_key(services: Services, device: str) -> None:
    """The device as the migration to keys leaves one that existed before."""
    with services.store.connection() as connection:
        connection.execute(update(DEVICES).where(DEVICES.c.id == device).values(public_key=None))
        connection.commit()


def test_a_device_from_before_keys_registers_its_key_at_its_next_sync(
    both: tuple[RunningServer, Services],
) -> None:
    server, services = both
    device = new_device()
    token = activate(server, issue_code(services), device).json()["license"]
    assert _stored_key(services, device) == device_key(device).public
    _forget_key(services, device)

    assert server.post("/licenses/status", {"license": token}).json()["seat"] is True
    assert _stored_key(services, device) == device_key(device).public
    late = server.post("/licenses/status", {"license": token}, key=DeviceKey.generate())
    assert _refusal(late) == (401, "device_not_proven", "other_device_key")


def test_a_device_from_before_keys_registers_its_key_with_an_activation(
    both: tuple[RunningServer, Services],
) -> None:
    """The activations decided together as a set register it too (on PostgreSQL, in the
    pass decided under the codes' locks)."""
    server, services = both
    device, later = new_device(), issue_code(services)
    activate(server, issue_code(services), device)
    _forget_key(services, device)

    assert activate(server, later, device).status_code == 201
    assert _stored_key(services, device) == device_key(device).public
    stranger = server.post(
        "/activations",
        {"code": issue_code(services), "device_id": device, "app_version": "1.0.0"},
        key=DeviceKey.generate(),
    )
    assert _refusal(stranger) == (401, "device_not_proven", "other_device_key")


def test_a_refused_call_registers_no_key_for_a_device_from_before_keys(
    both: tuple[RunningServer, Services],
) -> None:
    """A stranger who knows the id of a device from before keys, and whose calls are refused
    for what they ask (a full code, a code that does not exist, a license it cannot show),
    leaves the device as it was: the device's own next call registers its own key."""
    server, services = both
    device = new_device()
    token = activate(server, issue_code(services), device).json()["license"]
    full = issue_code(services)
    assert activate(server, full, new_device()).status_code == 201
    _forget_key(services, device)
    stranger = DeviceKey.generate()

    refused = server.post(
        "/activations", {"code": full, "device_id": device, "app_version": "1.0.0"}, key=stranger
    )
    assert _refusal(refused)[:2] == (409, "device_limit_reached")
    unknown = server.post(
        "/activations",
        {"code": "0" * 20, "device_id": device, "app_version": "1.0.0"},
        key=stranger,
    )
    assert unknown.status_code == 404
    assert _stored_key(services, device) is None

    assert server.post("/licenses/status", {"license": token}).json()["seat"] is True
    assert _stored_key(services, device) == device_key(device).public
    late = server.post(
        "/activations", {"code": full, "device_id": device, "app_version": "1.0.0"}, key=stranger
    )
    assert _refusal(late) == (401, "device_not_proven", "other_device_key")


def test_a_proof_is_good_for_its_own_call_only(server: RunningServer, services: Services) -> None:
    device = new_device()
    token = activate(server, issue_code(services), device).json()["license"]
    body = json.dumps({"license": token}).encode()
    status_proof = proof_headers(server.api("/licenses/status"), body, device)

    def send(path: str, data: bytes, headers: dict[str, str]) -> requests.Response:
        headers = {"Content-Type": "application/json", **headers}
        return requests.post(server.api(path), data=data, headers=headers, timeout=10)

    # A status call's proof, replayed on the deactivation of the same license: refused.
    replayed = send("/deactivations", body, status_proof)
    assert _refusal(replayed) == (401, "device_not_proven", "proof_invalid")
    # The same proof with the body changed: refused.
    changed = body.replace(b'"license"', b' "license"')
    assert _refusal(send("/licenses/status", changed, status_proof))[2] == "proof_invalid"
    # A proof made long ago (or far ahead): refused for its moment.
    moment = int(time.time()) - 900
    old = device_key(device).headers("POST", "/api/v1/licenses/status", body, moment)
    assert _refusal(send("/licenses/status", body, old))[2] == "proof_clock"
    # The proof as made: accepted.
    assert send("/licenses/status", body, status_proof).status_code == 200


def test_a_client_whose_clock_is_wrong_learns_the_servers_time(
    server: RunningServer, services: Services
) -> None:
    device = new_device()
    key = DeviceKey.generate()
    api = ActivationApi(server.url, device_key=lambda: key)
    api.clock_offset = -3 * 3600  # as if this computer's clock were three hours behind
    answer = api.activate(issue_code(services), device, "1.0.0")
    assert answer.created
    assert abs(api.clock_offset) < 60  # learned from the refusal, then asked again

    unsigned = ActivationApi(server.url)
    with pytest.raises(ApiError) as refused:
        unsigned.status(answer.license)
    assert refused.value.failure.error is ErrorCode.DEVICE_NOT_PROVEN
    assert not refused.value.failure.transient


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-300, True), (300, True), (-301, False), (301, False), (-900, False), (900, False)],
    ids=[
        "5 min behind",
        "5 min ahead",
        "just over behind",
        "just over ahead",
        "15 behind",
        "15 ahead",
    ],
)
def test_a_proof_is_good_within_five_minutes_of_the_servers_time_either_way(
    offset: int, accepted: bool
) -> None:
    key, now, path, body = DeviceKey.generate(), 1_800_000_000, "/api/v1/licenses/status", b"{}"
    headers = key.headers("POST", path, body, now + offset)
    sent = (headers[KEY_HEADER], headers[PROOF_HEADER], "POST", path, body, now)
    if accepted:
        assert verify(*sent) == key.public
    else:
        with pytest.raises(ProofError) as refused:
            verify(*sent)
        assert refused.value.reason is ProofRefusal.CLOCK


def test_a_call_missing_its_key_or_its_proof_or_with_a_malformed_key_is_refused() -> None:
    key, now, path, body = DeviceKey.generate(), 1_800_000_000, "/api/v1/licenses/status", b"{}"
    headers = key.headers("POST", path, body, now)
    sent_key, proof = headers[KEY_HEADER], headers[PROOF_HEADER]
    for given_key, given_proof, reason in [
        (None, proof, ProofRefusal.MISSING),
        (sent_key, None, ProofRefusal.MISSING),
        (sent_key[:-1] + "!", proof, ProofRefusal.INVALID),  # a key that cannot be one
    ]:
        with pytest.raises(ProofError) as refused:
            verify(given_key, given_proof, "POST", path, body, now)
        assert refused.value.reason is reason


def test_a_device_key_comes_back_from_its_secret_and_nothing_else_passes_for_one() -> None:
    key = DeviceKey.generate()
    assert DeviceKey.from_secret(key.secret).public == key.public
    for not_a_key in ("", "x" * 42, key.secret + "A", key.public[:-1] + "!"):
        with pytest.raises(ValueError, match="not a device key"):
            DeviceKey.from_secret(not_a_key)
