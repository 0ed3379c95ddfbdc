"""A stranger sending wrong codes as fast as it can: past the limit its address is told to
wait, the rest of the world is not, and the audit log grows by one row, not one per request."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.license import LicenseType
from app.server.models import AuditEventRow
from tests.server.helpers import new_device, post_from
from tests.servers import running_server, services_for

LIMIT = 5
UNKNOWN = "0" * 20  # well formed: the check symbol of zeros is 0


def test_an_address_refused_too_often_waits_and_is_recorded_once(fresh_sqlite_url: str) -> None:
    with services_for(fresh_sqlite_url) as services:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=86400
        )
    stranger, customer = "127.0.0.21", "127.0.0.22"
    options = ["--refusals-per-minute", str(LIMIT)]
    with running_server(fresh_sqlite_url, options=options) as server:
        answers = [
            post_from(
                server,
                stranger,
                "/activations",
                {"code": UNKNOWN, "device_id": new_device(), "app_version": "1.0.0"},
            )
            for _ in range(LIMIT + 3)
        ]
        assert [status for status, _body, _wait in answers] == [404] * LIMIT + [429] * 3
        _status, body, wait = answers[-1]
        assert body["error"]["code"] == "rate_limited"
        assert wait is not None
        assert 1 <= int(wait) <= 61
        # Held back even with a good code: the limit is on the address, not on the code.
        good = {"code": code, "device_id": new_device(), "app_version": "1.0.0"}
        assert post_from(server, stranger, "/activations", good)[0] == 429
        # Another address is not held back.
        assert post_from(server, customer, "/activations", good)[0] == 201
    # Stopped: the held-back requests are recorded as one row for the address.
    with services_for(fresh_sqlite_url) as services, services.factory() as session:
        events = session.execute(
            select(AuditEventRow.event, AuditEventRow.address, AuditEventRow.detail).where(
                AuditEventRow.event.in_(["activation_refused", "refusals_limited"])
            )
        ).all()
    assert sorted(event for event, _address, _detail in events) == (
        ["activation_refused"] * LIMIT + ["refusals_limited"]
    )
    [(_event, address, detail)] = [row for row in events if row[0] == "refusals_limited"]
    assert (address, detail) == (stranger, {"count": 4})


def test_behind_a_trusted_proxy_the_limit_is_per_forwarded_client(fresh_sqlite_url: str) -> None:
    proxy, stranger = "127.0.0.30", "127.0.0.31"
    options = ["--refusals-per-minute", "2", "--trusted-proxy", proxy]
    wrong = {"code": UNKNOWN, "device_id": new_device(), "app_version": "1.0.0"}
    with running_server(fresh_sqlite_url, options=options) as server:

        def via_proxy(client: str) -> int:
            headers = {"X-Forwarded-For": client}
            return post_from(server, proxy, "/activations", wrong, headers)[0]

        assert [via_proxy("203.0.113.7") for _ in range(3)] == [404, 404, 429]
        assert via_proxy("198.51.100.9") == 404  # another client behind the same proxy
        # From anywhere else the header is not believed: the limit is on the real address.
        claimed = [
            post_from(server, stranger, "/activations", wrong, {"X-Forwarded-For": f"192.0.2.{i}"})[
                0
            ]
            for i in range(3)
        ]
        assert claimed == [404, 404, 429]
