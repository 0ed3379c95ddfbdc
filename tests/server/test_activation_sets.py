"""Activations decided together, as the writer thread hands them over: each gets the outcome it
would have had alone, in the order they came, and the seats counted match the seats stored."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, func, select

from app.domain.errors import DomainError, ErrorCode
from app.domain.license import LicenseType
from app.server.models import ActivationRow, AuditEventRow, CodeRow
from app.server.records import ActivationWritten
from app.server.services.activation_sets.batch import Ask
from tests.servers import device_key, services_for

DAY = 86400


def _ask(text: str, device: str, version: str = "1.0.0") -> Ask:
    """An ask signed as ``device`` (with the key its calls are signed with)."""
    return Ask(text, device, version, device_key(device).public)


def test_one_set_of_activations_gives_each_its_own_outcome(fresh_db_url: str) -> None:
    with services_for(fresh_db_url) as services:
        issue = services.operator.issue_codes
        [two_seats] = issue(license_type=LicenseType.COMMERCIAL, term_seconds=DAY, max_devices=2)
        [blocked] = issue(license_type=LicenseType.COMMERCIAL, term_seconds=DAY)
        [other] = issue(license_type=LicenseType.COMMERCIAL, term_seconds=DAY)
        services.operator.block_code(blocked)
        first, second, third = (f"device-{uuid.uuid4().hex}" for _ in range(3))
        asks = [
            _ask(two_seats, first, "1.0.0"),
            _ask(two_seats.lower(), first, "1.0.0"),  # the same device again: its seat back
            _ask("ABCDE-12345", first, "1.0.0"),
            _ask(two_seats, second, "1.0.0"),
            _ask(two_seats, third, "1.0.0"),  # no seat left
            _ask("0" * 20, third, "1.0.0"),
            _ask(blocked, third, "1.0.0"),
            _ask(other, first, "1.0.0"),  # a known device, a second code
        ]
        with services.store.connection() as connection:
            outcomes = services.activations.activate_set(connection, asks)
            connection.commit()

        def refusal(outcome: ActivationWritten | DomainError) -> ErrorCode | None:
            return outcome.code if isinstance(outcome, DomainError) else None

        assert [refusal(outcome) for outcome in outcomes] == [
            None,
            None,
            ErrorCode.INVALID_FORMAT,
            None,
            ErrorCode.DEVICE_LIMIT_REACHED,
            ErrorCode.CODE_NOT_FOUND,
            ErrorCode.CODE_BLOCKED,
            None,
        ]
        activated = [outcome for outcome in outcomes if isinstance(outcome, ActivationWritten)]
        assert [a.created for a in activated] == [True, False, True, True]
        assert activated[0].seat == activated[1].seat
        assert [a.code.devices_used for a in activated] == [1, 1, 2, 1]

        with services.factory() as session:
            used = {
                last5: count
                for last5, count in session.execute(select(CodeRow.last5, CodeRow.devices_used))
            }
            stored = {
                last5: count
                for last5, count in session.execute(
                    select(CodeRow.last5, func.count(ActivationRow.id))
                    .join(ActivationRow, ActivationRow.code_id == CodeRow.id)
                    .group_by(CodeRow.last5)
                )
            }
            events = {
                event: count
                for event, count in session.execute(
                    select(AuditEventRow.event, func.count()).group_by(AuditEventRow.event)
                )
            }
        assert used == {two_seats[-5:]: 2, blocked[-5:]: 0, other[-5:]: 1}
        assert stored == {two_seats[-5:]: 2, other[-5:]: 1}
        assert events["activation"] == 3
        assert events["activation_repeated"] == 1
        assert events["activation_refused"] == 4
        shown = services.operator.code_info(two_seats)
        assert shown["first_activated_at"] == activated[0].now.isoformat()
        assert shown["devices_held"] == 0


@pytest.mark.postgres
@pytest.mark.parametrize("meanwhile", ["last_seat_taken", "blocked"])
def test_a_code_that_changed_after_it_was_read_is_decided_again(
    pg_url: str, meanwhile: str
) -> None:
    """On PostgreSQL a set reads its codes without a lock; another process takes the last seat
    or blocks the code between that read and the set's write: the set's asks on that code get
    the outcome they would have had after that change, and nothing is counted twice."""
    with services_for(pg_url) as services:
        [code] = services.operator.issue_codes(
            license_type=LicenseType.COMMERCIAL, term_seconds=DAY, max_devices=2
        )
        first, second, elsewhere = (f"device-{uuid.uuid4().hex}" for _ in range(3))
        interfered = False

        def other_process(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            nonlocal interfered
            if interfered or "WITH counted AS" not in statement:
                return
            interfered = True
            if meanwhile == "blocked":
                services.operator.block_code(code)
                return
            with services.store.connection() as other:
                [taken] = services.activations.activate_set(other, [_ask(code, elsewhere, "1.0")])
                assert isinstance(taken, ActivationWritten)
                other.commit()

        event.listen(services.store.engine, "before_cursor_execute", other_process)
        with services.store.connection() as connection:
            outcomes = services.activations.activate_set(
                connection,
                [
                    _ask(code, first, "1.0.0"),
                    _ask(code, second, "1.0.0"),
                ],
            )
            connection.commit()
        event.remove(services.store.engine, "before_cursor_execute", other_process)
        assert interfered

        shown = services.operator.code_info(code)
        with services.factory() as session:
            events = sorted(
                event
                for event in session.scalars(select(AuditEventRow.event))
                if event.startswith("activation")
            )
        if meanwhile == "blocked":
            assert [o.code for o in outcomes if isinstance(o, DomainError)] == [
                ErrorCode.CODE_BLOCKED,
                ErrorCode.CODE_BLOCKED,
            ]
            assert shown["devices_used"] == 0
            assert events == ["activation_refused", "activation_refused"]
            return
        assert isinstance(outcomes[0], ActivationWritten)
        assert outcomes[0].code.devices_used == 2  # the other process's seat counted
        assert isinstance(outcomes[1], DomainError)
        assert outcomes[1].code is ErrorCode.DEVICE_LIMIT_REACHED
        assert shown["devices_used"] == 2
        assert events == ["activation", "activation", "activation_refused"]
