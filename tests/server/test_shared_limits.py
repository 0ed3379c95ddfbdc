"""The refusal limit is one limit, whatever runs it: two server processes on one database
(two hosts behind a balancer) hold an address to it as one does, a burst sent all at once
gets no further than requests sent one by one, a network of addresses has a limit of its own,
and a proxy's header that is not an address makes nobody a new client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from starlette.types import Receive, Scope, Send

from app.server.api import limits
from app.server.api.forwarded import ForwardedFor
from app.server.api.limits import Refusals
from app.server.services.counts import SharedCounts
from app.server.services.sign_in_limits import SIGN_IN_MAX_FAILURES
from tests.server.helpers import new_device, post_from
from tests.servers import RunningServer, running_server, services_for

LIMIT = 5
UNKNOWN = "0" * 20  # well formed, and no such code: a refusal (404)


def _wrong(server: RunningServer, address: str, headers: dict[str, str] | None = None) -> int:
    body = {"code": UNKNOWN, "device_id": new_device(), "app_version": "1.0.0"}
    return post_from(server, address, "/activations", body, headers)[0]


@contextmanager
def _servers(db_url: str, count: int, *options: str) -> Iterator[list[RunningServer]]:
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                running_server(db_url, options=["--refusals-per-minute", str(LIMIT), *options])
            )
            for _ in range(count)
        ]


def test_two_servers_on_one_database_hold_an_address_to_one_limit(fresh_db_url: str) -> None:
    with _servers(fresh_db_url, 2) as (first, second):
        answers = [_wrong((first, second)[i % 2], "127.0.0.41") for i in range(4 * LIMIT)]
        # Each process may let one more through before it learns the count: never more.
        assert LIMIT <= answers.count(404) <= LIMIT + 2
        assert answers[-2 * LIMIT :] == [429] * (2 * LIMIT)
        # The address's neighbour on another network is not held back by either.
        assert _wrong(first, "127.0.1.41") == 404
        assert _wrong(second, "127.0.1.41") == 404


def test_a_burst_sent_at_once_gets_no_further_than_one_by_one(fresh_db_url: str) -> None:
    burst = 60
    with _servers(fresh_db_url, 2) as servers:
        barrier = threading.Barrier(burst)
        answers: list[int] = []

        def send(index: int) -> None:
            barrier.wait()
            answers.append(_wrong(servers[index % 2], "127.0.0.42"))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(burst)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == burst
    assert LIMIT <= answers.count(404) <= LIMIT + 2
    assert answers.count(429) == burst - answers.count(404)


def test_a_network_of_addresses_has_a_looser_limit_of_its_own(fresh_sqlite_url: str) -> None:
    network_limit = LIMIT * 4  # four times an address's (README, "Limits")
    with _servers(fresh_sqlite_url, 1) as (server,):
        # Ten addresses from both halves of one /24, each kept under its own limit.
        answers = [
            _wrong(server, f"127.0.2.{host}")
            for _round in range(LIMIT - 1)
            for host in (*range(10, 15), *range(200, 205))
        ]
        assert answers.count(404) == network_limit
        assert answers[network_limit:] == [429] * (len(answers) - network_limit)
        assert _wrong(server, "127.0.2.99") == 429  # a new address of that network waits too
        assert _wrong(server, "127.0.3.10") == 404  # another network does not


def test_a_forwarded_value_that_is_not_an_address_is_not_a_client(fresh_sqlite_url: str) -> None:
    proxy = "127.0.0.50"
    with _servers(fresh_sqlite_url, 1, "--trusted-proxy", proxy) as (server,):
        # Were each value a client of its own, none would ever be held back.
        garbage = [
            _wrong(server, proxy, {"X-Forwarded-For": f"nobody-{i}"}) for i in range(LIMIT + 1)
        ]
        assert garbage == [404] * LIMIT + [429]
        # A client sending its own header through the proxy is still the address the proxy
        # saw last: what it claims further left is not believed.
        spoofed = [
            _wrong(server, proxy, {"X-Forwarded-For": f"192.0.2.{i}, 203.0.113.80"})
            for i in range(LIMIT + 1)
        ]
        assert spoofed == [404] * LIMIT + [429]


async def _nothing(_scope: Scope, _receive: Receive, _send: Send) -> None:
    return None


def test_the_forwarded_client_is_read_from_the_nearest_hop() -> None:
    forwarded = ForwardedFor(app=_nothing, trusted=["10.0.0.0/8", "127.0.0.1"])
    assert forwarded.client("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert forwarded.client("127.0.0.1", "198.51.100.1, 203.0.113.5, 10.1.2.3") == "203.0.113.5"
    assert forwarded.client("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert forwarded.client("127.0.0.1", "203.0.113.5:5555") == "203.0.113.5"
    assert forwarded.client("127.0.0.1", "::ffff:203.0.113.5") == "203.0.113.5"
    assert forwarded.client("127.0.0.1", "203.0.113.5, unknown") == "127.0.0.1"
    assert forwarded.client("127.0.0.1", "unknown, 10.9.9.9") == "10.9.9.9"
    assert forwarded.client("192.0.2.1", "203.0.113.5") == "192.0.2.1"  # not a trusted proxy


def test_a_flood_of_new_addresses_makes_every_request_counted_first(
    fresh_sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a process can remember no more addresses held back, the database decides for
    every request before its work: the counts it keeps are never forgotten."""
    monkeypatch.setattr(limits, "MOST_HELD", 3)
    with services_for(fresh_sqlite_url) as services:
        refusals = Refusals(SharedCounts(services.store), limit=1)

        async def flood() -> int | None:
            for host in range(1, 5):
                await refusals.refused([f"a:192.0.2.{host}"])
            assert refusals.crowded
            assert refusals.count_first(["a:192.0.2.200"])
            # The last address is not remembered here, and is still over in the database.
            assert refusals.wait(["a:192.0.2.4"]) is None
            return (await refusals.admit(["a:192.0.2.4"]))[1]

        wait = asyncio.run(flood())
    assert wait is not None
    assert 1 <= wait <= 61


def test_sign_in_failures_are_one_count_across_servers(fresh_db_url: str) -> None:
    """Wrong passwords for one e-mail, sent to two servers in turn from clients the account
    does not know, are held back after the same five as on one server."""
    with services_for(fresh_db_url) as services:
        services.accounts.create("owner@example.com", "correct horse")
    with _servers(fresh_db_url, 2) as servers:
        answers = [
            post_from(
                servers[i % 2],
                f"127.0.4.{10 + i}",
                "/accounts/sign-in",
                {"email": "owner@example.com", "password": f"guess {i}", "device_id": new_device()},
            )
            for i in range(SIGN_IN_MAX_FAILURES + 2)
        ]
    statuses = [status for status, _body, _wait in answers]
    assert statuses == [401] * SIGN_IN_MAX_FAILURES + [429, 429]
    assert answers[-1][1]["error"]["reason"] == "email_limited"
