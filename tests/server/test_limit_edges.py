"""What the refusal limit counts, and when it forgets: a minute after an address was held
back it starts again from nothing; only refusals (4xx) count, not the server's own failures
(5xx) nor wrong passwords, which have limits of their own."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.license import LicenseType
from app.server.api.limits import RefusalLimit, Refusals, limit_keys
from app.server.services.counts import WINDOW_SECONDS, SharedCounts
from tests.server.helpers import new_device, post_from
from tests.servers import running_server, services_for

LIMIT = 3
ADDRESS = "192.0.2.7"


class _Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_minute_after_it_was_held_back_an_address_starts_again(fresh_db_url: str) -> None:
    clock = _Clock()
    keys = limit_keys(ADDRESS)
    with services_for(fresh_db_url) as services:
        refusals = Refusals(SharedCounts(services.store, clock), limit=LIMIT, clock=clock)

        async def scenario() -> None:
            for _ in range(LIMIT):
                await refusals.refused(keys)
            assert refusals.wait(keys) is not None  # held back

            clock.now += WINDOW_SECONDS
            assert refusals.wait(keys) is None  # its minute is over
            await refusals.refused(keys)  # one refusal in the new minute: counted from one
            assert refusals.wait(keys) is None
            taken, wait = await refusals.admit(keys)  # and the database says the same
            assert wait is None
            assert set(taken) == set(keys)

        asyncio.run(scenario())


def test_units_counted_ahead_end_with_their_minute(fresh_sqlite_url: str) -> None:
    """A process's units for an address belong to the minute they were counted in: at the
    minute's very end the next request is counted in the new one."""
    clock = _Clock()
    keys = limit_keys(ADDRESS)
    with services_for(fresh_sqlite_url) as services:
        refusals = Refusals(SharedCounts(services.store, clock), limit=160, clock=clock)

        async def scenario() -> tuple[set[int], set[int]]:
            first, _wait = await refusals.admit(keys)  # counts units ahead for the address
            refusals.settle(first, refused=False)  # not refused: its unit is kept for the next
            clock.now += WINDOW_SECONDS
            second, _wait = await refusals.admit(keys)
            return set(first.values()), set(second.values())

        first, second = asyncio.run(scenario())
    assert first == {int(clock.now) - WINDOW_SECONDS}
    assert second == {int(clock.now)}


def test_an_address_counts_for_its_ipv4_24_or_its_ipv6_64() -> None:
    assert limit_keys("192.0.2.200") == ["a:192.0.2.200", "n:192.0.2.0/24"]
    assert limit_keys("2001:db8:0:1:ffff::7") == ["a:2001:db8:0:1:ffff::7", "n:2001:db8:0:1::/64"]
    assert limit_keys("not an address") == ["a:not an address"]


def test_by_default_an_address_may_be_refused_120_times_a_minute(fresh_sqlite_url: str) -> None:
    unset = {"STANDBY_REFUSALS_PER_MINUTE": ""}  # as a unit's environment file may leave it
    with running_server(fresh_sqlite_url, env=unset) as server:
        wrong = {"code": "0" * 20, "device_id": new_device(), "app_version": "1.0.0"}
        statuses = [post_from(server, "127.0.0.42", "/activations", wrong)[0] for _ in range(121)]
    assert statuses == [404] * 120 + [429]


def _answering(status: int) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app


FAILED = (500, 503)


def test_only_refusals_count_not_the_servers_own_failures(fresh_sqlite_url: str) -> None:
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/activations",
        "client": (ADDRESS, 50000),
    }
    with services_for(fresh_sqlite_url) as services:
        refusals = Refusals(SharedCounts(services.store), limit=LIMIT)

        async def call(status: int) -> int:
            sent: list[int] = []

            async def send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    sent.append(message["status"])

            limited = RefusalLimit(_answering(status), refusals, lambda _wait: _answering(429))
            await limited(scope, _nothing, send)
            return sent[0]

        async def scenario() -> list[int]:
            # Both ends of each range: 500 and 503 are the server's; 400 and 404 refusals.
            failed = [await call(FAILED[i % 2]) for i in range(LIMIT + 2)]
            refused = [await call(400)] + [await call(404) for _ in range(LIMIT)]
            return failed + refused

        answers = asyncio.run(scenario())
    failed = [FAILED[i % 2] for i in range(LIMIT + 2)]
    assert answers == failed + [400] + [404] * (LIMIT - 1) + [429]


async def _nothing() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def test_wrong_passwords_do_not_count_against_the_refusal_limit(fresh_sqlite_url: str) -> None:
    with services_for(fresh_sqlite_url) as services:
        services.accounts.create("owner@example.com", "correct horse")
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=86400
        )
    options = ["--refusals-per-minute", "2"]
    with running_server(fresh_sqlite_url, options=options) as server:
        wrong = [
            post_from(
                server,
                "127.0.0.41",
                "/accounts/sign-in",
                {"email": "owner@example.com", "password": f"guess {i}", "device_id": new_device()},
            )[0]
            for i in range(3)
        ]
        assert wrong == [401, 401, 401]  # within the sign-in limit, past the refusal limit
        good = {"code": code, "device_id": new_device(), "app_version": "1.0.0"}
        assert post_from(server, "127.0.0.41", "/activations", good)[0] == 201


def test_an_address_held_back_can_still_read_the_servers_health_and_keys(
    fresh_sqlite_url: str,
) -> None:
    """Only POSTs count and wait: a device held back for its refusals still learns that the
    server is up (and its keys), so it says "wait" rather than "cannot reach the server"."""
    import http.client
    from urllib.parse import urlsplit

    stranger = "127.0.0.31"
    with running_server(fresh_sqlite_url, options=["--refusals-per-minute", str(LIMIT)]) as server:
        wrong = {"code": "0" * 20, "device_id": new_device(), "app_version": "1.0.0"}
        statuses = [post_from(server, stranger, "/activations", wrong)[0] for _ in range(LIMIT + 1)]
        assert statuses[-1] == 429
        url = urlsplit(server.api("/health"))
        assert url.hostname is not None
        for path in ("/health", "/keys"):
            connection = http.client.HTTPConnection(
                url.hostname, url.port, timeout=60, source_address=(stranger, 0)
            )
            try:
                connection.request("GET", f"/api/v1{path}")
                assert connection.getresponse().status == 200, path
            finally:
                connection.close()
