"""The decision of a set of activations, alone: what each ask comes to and what that writes,
over what a database said, with no database (activation_sets.decision), and PostgreSQL's
recount of what its one statement found (activation_sets.postgres)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain import codes
from app.domain.errors import DomainError, ErrorCode
from app.domain.license import CodeFacts, LicenseType
from app.server.records import ActivationWritten, Seat
from app.server.secrets import CodeHasher
from app.server.services.activation_sets.batch import Ask, Batch, Known, KnownDevice
from app.server.services.activation_sets.decision import decide, parse
from app.server.services.activation_sets.postgres import columns, recount

HASHER = CodeHasher(b"k" * 32)
MOMENT = datetime(2030, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC)
NOW = MOMENT.replace(microsecond=0)
KEY, OTHER_KEY = "a" * 43, "b" * 43


def _code(code_id: int = 7, *, max_devices: int = 2, used: int = 0) -> tuple[str, CodeFacts]:
    text = codes.generate()
    return text, CodeFacts(
        type=LicenseType.COMMERCIAL,
        term=timedelta(days=30),
        max_devices=max_devices,
        devices_used=used,
        valid_until=NOW + timedelta(days=365),
        first_activated_at=None,
        blocked=False,
        requires_account=False,
        app_versions="",
        last5=codes.suffix(text),
        id=code_id,
    )


def _decide(
    asks: list[Ask],
    found: list[tuple[str, CodeFacts]],
    devices: dict[str, KnownDevice] | None = None,
    seats: dict[tuple[int, str], Seat] | None = None,
    *,
    locked: bool = True,
) -> Batch:
    parsed = parse(asks, HASHER)
    known = Known(
        {HASHER.digest_text(text): code for text, code in found}, devices or {}, seats or {}
    )
    return decide(asks, parsed, known, MOMENT, locked=locked)


def _refusals(batch: Batch, count: int) -> list[ErrorCode | None]:
    return [o.code if isinstance(o, DomainError) else None for o in batch.in_order(count)]


def test_new_seats_are_counted_once_per_device_and_refused_past_the_last() -> None:
    text, code = _code(max_devices=2)
    asks = [
        Ask(text, "one", "1.0.0", KEY),
        Ask(text.lower(), "one", "1.0.0", KEY),  # the same device again: its seat back
        Ask(text, "two", "1.0.0", KEY),
        Ask(text, "three", "1.0.0", KEY),
    ]
    batch = _decide(asks, [(text, code)])

    assert _refusals(batch, 4) == [None, None, None, ErrorCode.DEVICE_LIMIT_REACHED]
    first, again, second = (batch.outcomes[i] for i in range(3))
    assert isinstance(first, ActivationWritten)
    assert isinstance(again, ActivationWritten)
    assert isinstance(second, ActivationWritten)
    assert (first.created, again.created, second.created) == (True, False, True)
    assert again.seat == first.seat
    assert [first.code.devices_used, second.code.devices_used] == [1, 2]
    assert second.code.first_activated_at == NOW
    assert second.now == NOW
    assert batch.taken == {7: 2}
    assert [d.device_id for d in batch.new_devices] == ["one", "two"]
    assert [(s.code_id, s.device_id) for s in batch.new_seats] == [(7, "one"), (7, "two")]
    assert [e.event for e in batch.audit] == [
        "activation",
        "activation_repeated",
        "activation",
        "activation_refused",
    ]
    assert batch.audit[-1].at == MOMENT  # a refusal: when it was decided, to the microsecond
    assert batch.codes[7].devices_used == 2
    assert not batch.later
    assert not batch.starts
    assert not batch.registered


def test_a_code_that_is_no_code_or_unknown_is_refused_first_with_what_can_be_told() -> None:
    text, code = _code()
    unknown, _ = _code(8)
    asks = [
        Ask(unknown, "one", "1.0.0", KEY),
        Ask("ABCDE-12345", "one", "1.0.0", KEY),
        Ask(text, "one", "1.0.0", KEY),
    ]
    batch = _decide(asks, [(text, code)])

    assert _refusals(batch, 3) == [ErrorCode.CODE_NOT_FOUND, ErrorCode.INVALID_FORMAT, None]
    assert [(e.event, e.code_id, e.last5) for e in batch.audit] == [
        ("activation_refused", None, None),  # the malformed one, decided before any code
        ("activation_refused", None, codes.suffix(unknown)),
        ("activation", 7, code.last5),
    ]
    assert batch.ask_code == {2: 7}


def test_a_device_is_refused_for_another_key_and_registers_none() -> None:
    text, code = _code()
    devices = {"one": KnownDevice(None, KEY)}
    batch = _decide([Ask(text, "one", "1.0.0", OTHER_KEY)], [(text, code)], devices)

    assert _refusals(batch, 1) == [ErrorCode.DEVICE_NOT_PROVEN]
    assert not batch.new_seats
    assert not batch.taken
    assert not batch.registered
    [entry] = batch.audit
    assert (entry.event, entry.code_id, entry.device_id) == ("activation_refused", 7, "one")
    assert entry.error is batch.outcomes[0]


def test_a_device_from_before_keys_waits_for_the_lock_then_keeps_the_key_accepted() -> None:
    text, code = _code()
    devices = {"old": KnownDevice(None, None)}
    asks = [Ask(text, "old", "1.0.0", KEY), Ask(text, "old", "1.0.0", OTHER_KEY)]

    unlocked = _decide(asks, [(text, code)], devices, locked=False)
    assert unlocked.later == [0, 1]
    assert not unlocked.outcomes
    assert not unlocked.audit

    locked = _decide(asks, [(text, code)], devices)
    assert _refusals(locked, 2) == [None, ErrorCode.DEVICE_NOT_PROVEN]
    assert [(d.device_id, d.key) for d in locked.registered] == [("old", KEY)]
    assert not locked.new_devices


def test_a_held_seat_waits_for_the_lock_then_starts_no_later_than_now() -> None:
    text, code = _code(used=1)
    earlier = NOW - timedelta(hours=1)  # taken over already, with no network
    for held_from, start in [(NOW + timedelta(days=3), NOW), (earlier, earlier)]:
        seat = Seat("held", "one", held_from, held_from)
        seats = {(7, "one"): seat}
        devices = {"one": KnownDevice(None, KEY)}
        ask = [Ask(text, "one", "1.0.0", KEY)]

        assert _decide(ask, [(text, code)], devices, seats, locked=False).later == [0]
        batch = _decide(ask, [(text, code)], devices, seats)
        [outcome] = batch.in_order(1)
        assert isinstance(outcome, ActivationWritten)
        assert not outcome.created
        assert outcome.seat == Seat("held", "one", start)
        assert outcome.code.first_activated_at == start
        assert outcome.code.devices_used == 1  # held seats count already
        assert [(s.seat_id, s.code_id, s.start) for s in batch.starts] == [("held", 7, start)]
        assert not batch.taken
        assert not batch.new_seats


def test_the_recount_tells_each_activation_of_a_code_the_count_as_stored() -> None:
    text, code = _code(max_devices=5)
    asks = [Ask(text, "one", "1.0.0", KEY), Ask(text, "two", "1.0.0", KEY)]
    batch = _decide(asks, [(text, code)], locked=False)
    first = NOW - timedelta(minutes=1)

    recount(batch, 7, 4, first)  # another process took two seats meanwhile

    used = [o.code.devices_used for o in batch.in_order(2) if isinstance(o, ActivationWritten)]
    assert used == [3, 4]
    assert all(
        o.code.first_activated_at == first
        for o in batch.in_order(2)
        if isinstance(o, ActivationWritten)
    )


def test_the_one_statement_gets_each_kind_of_row_as_columns() -> None:
    text, code = _code()
    asks = [Ask(text, "one", "1.0.0", KEY), Ask("0" * 20, "two", "1.0.0", KEY)]
    batch = _decide(asks, [(text, code)], locked=False)

    params = columns(batch)

    assert params["count_code"] == [7]
    assert params["count_n"] == [1]
    assert params["device_id"] == ["one"]
    assert params["device_key"] == [KEY]
    assert params["seat_code"] == [7]
    assert params["seat_device"] == ["one"]
    assert params["audit_event"] == ["activation", "activation_refused"]
    assert params["audit_code"] == [7, None]
    assert params["audit_error"] == [None, ErrorCode.CODE_NOT_FOUND.value]
    assert params["audit_detail"][0] is None
    assert params["audit_detail"][1].startswith('{"message": ')
    assert params["now"] == NOW
