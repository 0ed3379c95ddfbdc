"""Clients that stall or crowd the server: a connection whose headers do not arrive is closed,
a body that never finishes is cut off with a 408, and connections beyond the limit are turned
away with a 503 instead of piling up."""

from __future__ import annotations

import socket
from contextlib import ExitStack
from urllib.parse import urlsplit

import requests

from tests.servers import RunningServer, running_server


def _address(server: RunningServer) -> tuple[str, int]:
    url = urlsplit(server.url)
    assert url.hostname is not None
    assert url.port is not None
    return url.hostname, url.port


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_connection_whose_headers_do_not_arrive_is_closed(fresh_sqlite_url: str) -> None:
    with running_server(fresh_sqlite_url, options=["--header-timeout", "1"]) as server:
        with socket.create_connection(_address(server), timeout=30) as silent:
            assert _read_all(silent) == b""  # closed by the server, nothing said
        with socket.create_connection(_address(server), timeout=30) as slow:
            slow.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            assert _read_all(slow) == b""
        # A client that sends its headers in time is served, and may keep its connection
        # for a next request.
        with requests.Session() as session:
            assert session.get(server.api("/health"), timeout=10).ok
            assert session.get(server.api("/health"), timeout=10).ok


def test_a_body_that_stops_arriving_gets_a_408_and_the_connection_closes(
    fresh_sqlite_url: str,
) -> None:
    with running_server(fresh_sqlite_url, options=["--body-timeout", "1"]) as server:
        with socket.create_connection(_address(server), timeout=30) as sock:
            sock.sendall(
                b"POST /api/v1/activations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                b'{"code": "'
            )
            answer = _read_all(sock)  # blocks until the server gives up on the body
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408")
        assert b'"code":"validation_error"' in body
        assert b"did not arrive within 1 seconds" in body
        # The server is still there for everyone else.
        assert requests.get(server.api("/health"), timeout=10).ok


def test_connections_beyond_the_limit_are_turned_away(fresh_sqlite_url: str) -> None:
    with (
        running_server(fresh_sqlite_url, options=["--max-connections", "3"]) as server,
        ExitStack() as idle,
    ):
        for _ in range(3):
            idle.enter_context(socket.create_connection(_address(server), timeout=30))
        crowded = requests.get(server.api("/health"), timeout=10)
        assert crowded.status_code == 503
        idle.close()  # the idle ones leave: room again
        assert requests.get(server.api("/health"), timeout=10).ok
