"""One failure, kept and read back: a reserve's failure is kept as its key, and must mean
the same thing when the device reads it again (after a restart, in ``license show``)."""

from __future__ import annotations

import pytest

from app.domain.errors import REASON_SEAT_FREED, ErrorCode
from app.failures import UNREACHABLE, Failure, Ours, Unreachable

EVERY_FAILURE = [
    *(Failure(error) for error in ErrorCode),
    *(Failure(ours=ours) for ours in Ours),
    Failure(unreachable=Unreachable.NETWORK),
    Failure(ErrorCode.NOT_FOUND, REASON_SEAT_FREED),
]


@pytest.mark.parametrize("failure", EVERY_FAILURE, ids=lambda failure: failure.key)
def test_a_failure_read_back_from_its_key_is_the_same_failure(failure: Failure) -> None:
    back = Failure.of_key(failure.key, "kept")
    assert back == Failure(
        failure.error, failure.reason, failure.unreachable, failure.ours, message="kept"
    )
    assert back.transient == failure.transient


def test_the_keys_are_the_words_kept_on_disk_and_told_by_license_show() -> None:
    assert Failure(ErrorCode.CODE_BLOCKED, "anything").key == "code_blocked"
    assert Failure(unreachable=Unreachable.TIMED_OUT).key == UNREACHABLE == "unreachable"
    assert Failure(ErrorCode.NOT_FOUND, REASON_SEAT_FREED).key == "seat_freed"
    assert Failure(ErrorCode.NOT_FOUND, "hold_gone").key == "not_found"
    assert Failure(ours=Ours.RESERVE_CODE_MISSING).key == "reserve_code_missing"


def test_a_key_no_version_of_standby_wrote_reads_as_a_problem_here() -> None:
    assert Failure.of_key("no_such_thing") == Failure(ours=Ours.LOCAL_PROBLEM)
    assert Failure.of_key(None) is None


@pytest.mark.parametrize(
    ("failure", "transient"),
    [
        (Failure(unreachable=Unreachable.REFUSED), True),
        (Failure(ErrorCode.RATE_LIMITED), True),
        (Failure(ErrorCode.INTERNAL_ERROR), True),
        (Failure(ours=Ours.LOCAL_PROBLEM), True),  # a keyring or a disk may come back
        (Failure(ErrorCode.CODE_BLOCKED), False),
        (Failure(ErrorCode.DEVICE_LIMIT_REACHED), False),
        (Failure(ErrorCode.NOT_FOUND, REASON_SEAT_FREED), False),
        (Failure(ours=Ours.RESERVE_CODE_MISSING), False),
        (Failure(ours=Ours.ACCOUNT_RESERVE_GONE), False),
    ],
)
def test_only_what_may_pass_by_itself_is_transient(failure: Failure, transient: bool) -> None:
    assert failure.transient is transient
