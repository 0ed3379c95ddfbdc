"""How the app reads the server's answers (``protocol.read``): what it accepts, what it
refuses, and that a refusal names the field, so a server that answers wrongly is reported
as such instead of turning into a wrong license on screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import pytest

from app import protocol
from app.domain.license import LicenseState, LicenseType
from app.protocol import Malformed, read


@dataclass(frozen=True)
class _Seat:
    device_id: str
    at: datetime


@dataclass(frozen=True)
class _Answer:
    count: int
    done: bool
    kind: LicenseType
    status: Literal["ok", "degraded"]
    seats: list[_Seat]
    note: str | None = None
    tags: list[str] = field(default_factory=list)


GOOD: dict[str, Any] = {
    "count": 2,
    "done": True,
    "kind": "commercial",
    "status": "ok",
    "seats": [{"device_id": "laptop", "at": "2026-12-07T10:00:00+00:00"}],
}


def test_an_answer_is_read_into_its_record_with_moments_enums_and_nested_records() -> None:
    answer = read(_Answer, GOOD)
    assert answer == _Answer(
        count=2,
        done=True,
        kind=LicenseType.COMMERCIAL,
        status="ok",
        seats=[_Seat("laptop", datetime(2026, 12, 7, 10, tzinfo=UTC))],
    )
    assert read(_Answer, GOOD | {"note": None}).note is None
    assert read(_Answer, GOOD | {"tags": ["a", "b"]}).tags == ["a", "b"]


def test_fields_a_newer_server_adds_are_ignored() -> None:
    assert read(_Answer, GOOD | {"added_later": {"anything": 1}}) == read(_Answer, GOOD)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"count": None}, "_Answer.count"),
        ({"count": "2"}, "not a whole number"),
        ({"count": True}, "not a whole number"),  # a bool is not a count
        ({"count": 2.0}, "not a whole number"),
        ({"done": 1}, "not true or false"),
        ({"kind": "lifetime"}, "_Answer.kind"),
        ({"status": "fine"}, "is not one of"),
        ({"seats": {"device_id": "laptop"}}, "not a list"),
        ({"seats": [{"device_id": "laptop"}]}, "_Seat: at is missing"),
        ({"seats": [{"device_id": "laptop", "at": "2026-12-07T10:00:00"}]}, "time zone"),
        ({"seats": [{"device_id": "laptop", "at": 1765100000}]}, "ISO 8601"),
        ({"seats": [{"device_id": 7, "at": "2026-12-07T10:00:00+00:00"}]}, "not text"),
        ({"note": 5}, "_Answer.note"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_and_named(change: dict[str, Any], says: str) -> None:
    with pytest.raises(Malformed) as refused:
        read(_Answer, GOOD | change)
    assert says in str(refused.value)


def test_a_missing_field_or_an_answer_that_is_not_an_object_is_refused() -> None:
    without_count = {key: value for key, value in GOOD.items() if key != "count"}
    with pytest.raises(Malformed, match="count is missing"):
        read(_Answer, without_count)
    not_objects: list[Any] = [None, [], "ok", 3]
    for payload in not_objects:
        with pytest.raises(Malformed, match="not an object"):
            read(_Answer, payload)


def test_a_record_of_the_wire_reads_what_the_server_writes() -> None:
    """Round trip through the same encoding the requests use (``protocol.wire``)."""
    now = datetime(2026, 12, 7, 10, 30, 15, tzinfo=UTC)
    activation = protocol.Activation(
        code_last5="7K2QX",
        type=LicenseType.COMMERCIAL,
        term_seconds=365 * 86400,
        max_devices=3,
        devices_used=1,
        requires_account=False,
        valid_until=now.replace(year=2028),
        activated_at=now,
        expires_at=None,
        blocked=False,
        state=LicenseState.ACTIVE,
        license="header.claims.signature",
        created=True,
    )
    assert read(protocol.Activation, protocol.wire(activation)) == activation
