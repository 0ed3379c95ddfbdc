from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import codes
from app.domain.durations import format_duration, parse_duration

VALID = codes.generate()


def test_generated_codes_are_four_groups_of_five() -> None:
    code = codes.generate()
    assert len(code) == 23
    assert [len(group) for group in code.split("-")] == [5, 5, 5, 5]
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        VALID.lower(),
        VALID.replace("-", ""),
        VALID.replace("-", " "),
        f"  {VALID}\n",
        "-".join(VALID.replace("-", "")),
        VALID.replace("-", "--"),
        # Invisible characters that come along with a pasted code: a zero-width space, a
        # byte order mark, a word joiner, a soft hyphen, a left-to-right mark.
        "\u200b" + VALID.replace("-", "\u200b-"),
        "\ufeff" + VALID,
        VALID.replace("-", "\u2060"),
        VALID[:3] + "\u00ad" + VALID[3:],
        "\u200e" + VALID + "\u200f",
    ],
)
def test_input_is_forgiving(typed: str) -> None:
    assert codes.format_code(typed) == VALID


def test_look_alike_letters_are_read_as_digits() -> None:
    payload = "0" * 9 + "1" * 10
    code = codes.group(payload + codes.check_symbol(payload))
    typed = code.replace("0", "o").replace("1", "l", 5).replace("1", "I")
    assert codes.format_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "has 0"),
        (VALID[:-1], "has 19"),
        (VALID + "A", "has 21"),
        (VALID[:-1] + "U", "'U'"),
        (VALID[:-1] + "*", "'*'"),
    ],
)
def test_malformed_input_says_why(typed: str, reason: str) -> None:
    with pytest.raises(codes.InvalidCodeFormat, match=reason):
        codes.normalize(typed)


@given(st.integers(0, 18), st.integers(1, 31))
def test_every_single_mistyped_symbol_is_caught(position: int, shift: int) -> None:
    symbols = VALID.replace("-", "")
    wrong = codes.ALPHABET[(codes.ALPHABET.index(symbols[position]) + shift) % 32]
    typo = symbols[:position] + wrong + symbols[position + 1 :]
    assert not codes.is_valid(typo)


@given(st.text(alphabet=codes.ALPHABET, min_size=19, max_size=19))
def test_any_payload_with_its_check_symbol_is_valid(payload: str) -> None:
    assert codes.normalize(payload + codes.check_symbol(payload)) == payload + codes.check_symbol(
        payload
    )


def test_mask_shows_only_the_last_five_symbols() -> None:
    masked = codes.mask(VALID)
    assert masked == "•••••-•••••-•••••-" + VALID[-5:]
    assert VALID[:5] not in masked


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("5m", 300), ("2h", 7200), ("365d", 31_536_000), ("7D", 604_800)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "10", "d", "1.5d", "-1d", "0s", "10w", "1 year"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)


@given(st.integers(1, 10**9))
def test_duration_formatting_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("payload", "check"),
    [
        ("0" * 19, "0"),
        # Ten ones doubled (from the right) and nine left as they are make 29; 32 - 29 = 3.
        ("1" * 19, "3"),
        ("ABCDEFGHJKMNPQRSTVW", "J"),
        ("0123456789ABCDEFGHJ", "S"),
        ("ZYXWVTSRQPNMKJHGFED", "T"),
    ],
)
def test_the_check_symbol_is_the_one_codes_already_issued_carry(payload: str, check: str) -> None:
    """Luhn mod 32, fixed: a code issued before must stay valid after any change here."""
    assert codes.check_symbol(payload) == check
