"""Bad input gets a 4xx in the contract's error shape, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.license import LicenseType
from app.server.services import Services
from tests.server.helpers import error_of, new_device
from tests.servers import RunningServer, proof_headers, running_server

ENDPOINTS = [
    "/activations",
    "/reserve-checks",
    "/deactivations",
    "/licenses/status",
    "/accounts/sign-in",
]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[]", b"null", b'"text"', b"\xff\xfe", b'{"code": ' + b"[" * 5000],
)
def test_malformed_bodies(any_server: RunningServer, path: str, body: bytes) -> None:
    """Signed by a device, so the body is what is wrong with them."""
    headers = {
        "Content-Type": "application/json",
        **proof_headers(any_server.api(path), body, "device-0001"),
    }
    response = requests.post(any_server.api(path), data=body, headers=headers, timeout=10)
    assert response.status_code == 422
    assert error_of(response) == "validation_error"


@pytest.mark.parametrize(
    "body",
    [
        {"code": 12345, "device_id": "device-0001", "app_version": "1.0"},
        {"code": ["A"], "device_id": "device-0001", "app_version": "1.0"},
        {"code": "A" * 20, "device_id": 7, "app_version": "1.0"},
        {"code": "A" * 20, "device_id": "short", "app_version": "1.0"},
        {"code": "A" * 20, "device_id": "has spaces in it", "app_version": "1.0"},
        {"code": "A" * 20, "device_id": "device-0001", "app_version": None},
        {"code": "A" * 20, "device_id": "device-0001"},
        {"code": "A" * 200, "device_id": "device-0001", "app_version": "1.0"},
    ],
)
def test_wrong_types_and_missing_fields(server: RunningServer, body: dict[str, object]) -> None:
    response = server.post("/activations", body)
    assert (response.status_code, error_of(response)) == (422, "validation_error")


def test_huge_bodies_are_refused_before_they_are_read(server: RunningServer) -> None:
    huge = b'{"code": "' + b"A" * 200_000 + b'"}'
    response = requests.post(
        server.api("/activations"),
        data=huge,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert (response.status_code, error_of(response)) == (413, "validation_error")

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"A" * 10_000

    streamed = requests.post(server.api("/activations"), data=chunks(), timeout=10)
    assert (streamed.status_code, error_of(streamed)) == (413, "validation_error")


def test_unknown_addresses_and_methods(server: RunningServer) -> None:
    missing = requests.get(server.api("/nothing-here"), timeout=10)
    assert (missing.status_code, error_of(missing)) == (404, "not_found")
    wrong_method = requests.get(server.api("/activations"), timeout=10)
    assert (wrong_method.status_code, error_of(wrong_method)) == (405, "method_not_allowed")
    assert wrong_method.headers["Allow"] == "POST"


@pytest.mark.parametrize("email", ["no-at-sign", "a\x00b@example.com", "a\tb@example.com"])
def test_a_bad_email_at_sign_in_is_a_validation_error(
    any_server: RunningServer, email: str
) -> None:
    response = any_server.post(
        "/accounts/sign-in", {"email": email, "password": "x", "device_id": "device-0001"}
    )
    assert (response.status_code, error_of(response)) == (422, "validation_error")


@pytest.mark.parametrize(
    "field", ["code", "app_version", "current_license", "reserve_code", "device_id"]
)
def test_control_characters_anywhere_are_refused_cleanly(
    any_server: RunningServer, field: str
) -> None:
    body = {
        "code": "0" * 20,
        "device_id": "device-0001",
        "app_version": "1.0",
        "current_license": None,
        "reserve_code": None,
    }
    body[field] = "ab\x00cdefghij"
    response = any_server.post("/reserve-checks", body)
    assert response.status_code < 500
    if not response.ok:
        assert set(response.json()) == {"error"}


def test_the_api_is_documented_with_its_error_answers(server: RunningServer) -> None:
    spec = requests.get(f"{server.url}/openapi.json", timeout=10).json()
    assert {"/api/v1/activations", "/api/v1/keys", "/api/v1/health"} <= set(spec["paths"])
    assert {"/api/v1/holds", "/api/v1/holds/renew", "/api/v1/holds/start"} <= set(spec["paths"])
    for path, operations in spec["paths"].items():  # every POST acts for a device
        if "post" in operations:
            headers = {p["name"] for p in operations["post"]["parameters"] if p["in"] == "header"}
            assert {"Standby-Device-Key", "Standby-Device-Proof"} <= headers, path
    answers = spec["paths"]["/api/v1/activations"]["post"]["responses"]
    assert {"200", "201", "401", "403", "404", "409", "410", "413", "422", "429", "503"} <= set(
        answers
    )
    refused = answers["409"]["content"]["application/json"]["schema"]["$ref"]
    assert refused.endswith("/ErrorAnswer")
    error = spec["components"]["schemas"]["ErrorDetail"]
    assert {"code", "message"} <= set(error["required"])
    # The interactive documentation is served only when asked for.
    assert requests.get(f"{server.url}/docs", timeout=10).status_code == 404
    assert requests.get(f"{server.url}/redoc", timeout=10).status_code == 404


def test_serve_docs_serves_the_interactive_documentation(fresh_sqlite_url: str) -> None:
    with running_server(fresh_sqlite_url, env={"STANDBY_SERVER_DOCS": "1"}) as server:
        assert requests.get(f"{server.url}/docs", timeout=10).status_code == 200
        assert requests.get(f"{server.url}/redoc", timeout=10).status_code == 200


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
_fields = st.fixed_dictionaries(
    {},
    optional={
        name: _json | st.text(max_size=80)
        for name in (
            "code",
            "device_id",
            "app_version",
            "current_license",
            "reserve_code",
            "license",
            "email",
            "password",
        )
    },
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(path=st.sampled_from(ENDPOINTS), body=_fields | _json)
def test_no_body_makes_the_server_fail(any_server: RunningServer, path: str, body: object) -> None:
    response = any_server.post(path, body)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


def test_a_code_pasted_with_invisible_characters_is_read_as_typed(
    server: RunningServer, services: Services
) -> None:
    """The client and the server read a code the same way (app.domain.codes): a zero-width
    space or a byte order mark that came along with a paste changes nothing."""
    [code] = services.operator.issue_codes(license_type=LicenseType.COMMERCIAL, term_seconds=60)
    pasted = "\ufeff" + code.replace("-", "\u200b-") + "\u2060"
    response = server.post(
        "/activations", {"code": pasted, "device_id": new_device(), "app_version": "1.0.0"}
    )
    assert response.status_code == 201, response.text
