"""Every error code travels with an HTTP error status, and the transient ones with one a
proxy or a client library also reads as "try again later"."""

from __future__ import annotations

from app.domain.errors import TRANSIENT, ErrorCode
from app.server.api.statuses import HTTP_STATUS


def test_every_error_code_has_an_error_status() -> None:
    for code in ErrorCode:
        assert 400 <= HTTP_STATUS[code] < 600


def test_the_transient_codes_travel_as_too_many_requests_or_a_server_error() -> None:
    assert {HTTP_STATUS[code] for code in TRANSIENT} <= {429, 500, 502, 503}
