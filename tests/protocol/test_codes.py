"""PROTOCOL.md section 1: session codes."""

import random

import pytest

from loudsync_desktop.protocol.codes import (
    CODE_ALPHABET, CODE_LENGTH, format_code, format_partial_code, generate_session_id,
    looks_like_code, normalize_code, strip_code,
)
from loudsync_desktop.protocol.errors import InvalidSessionCode, LoudSyncError


def test_alphabet_has_no_look_alikes():
    for ch in "0O1IL":
        assert ch not in CODE_ALPHABET
    assert set(CODE_ALPHABET) == set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 31


def test_generated_ids_are_six_characters_of_the_alphabet():
    ids = [generate_session_id() for _ in range(500)]
    for session_id in ids:
        assert len(session_id) == CODE_LENGTH == 6
        assert set(session_id) <= set(CODE_ALPHABET)
        # What is shown to people reads back to the same wire id.
        assert normalize_code(format_code(session_id)) == session_id
        assert looks_like_code(format_code(session_id))
    assert len(set(ids)) > 490  # 31**6 codes: 500 draws are (almost surely) distinct


def test_generation_draws_each_character_from_the_alphabet():
    seen = []

    def choice(seq):
        seen.append(seq)
        return seq[len(seen) % len(seq)]

    assert generate_session_id(choice) == "BCDEFG"
    assert seen == [CODE_ALPHABET] * 6


def test_generation_uses_the_whole_alphabet():
    rng = random.Random(7)
    chars = set("".join(generate_session_id(rng.choice) for _ in range(300)))
    assert chars == set(CODE_ALPHABET)


def test_format_code_puts_a_dash_after_the_third_character():
    assert format_code("ABC234") == "ABC-234"


@pytest.mark.parametrize("typed", ["abc 234", "ABC-234", "abc234", "ABC234", " a-b.c_2 3 4\n",
                                   "Abc-234", "abc–234"])
def test_normalisation_makes_typed_variants_equal(typed):
    assert normalize_code(typed) == "ABC234"


def test_strip_code_uppercases_and_drops_everything_else():
    assert strip_code("ab-c 2!3?4") == "ABC234"
    assert strip_code("") == ""
    assert strip_code("xyz-0o1") == "XYZ0O1"  # no length or alphabet check here


@pytest.mark.parametrize("typed, count", [("ABC-23", 5), ("ab", 2), ("ABC-2345", 7),
                                          ("abc 234 5", 7), ("a-b-c", 3)])
def test_wrong_lengths_are_rejected_with_the_reason(typed, count):
    with pytest.raises(InvalidSessionCode) as info:
        normalize_code(typed)
    text = str(info.value)
    assert "6 letters and digits" in text
    assert f"has {count}" in text
    assert typed.strip() in text


@pytest.mark.parametrize("typed", ["", "   ", "---", "!?"])
def test_empty_input_asks_for_a_code(typed):
    with pytest.raises(InvalidSessionCode, match="Enter the 6-character party code, like ABC-234"):
        normalize_code(typed)


def test_invalid_code_is_a_value_error_and_a_loudsync_error():
    with pytest.raises(ValueError):
        normalize_code("x")
    with pytest.raises(LoudSyncError):
        normalize_code("x")


@pytest.mark.parametrize("typed, shown", [
    ("", ""), ("a", "A"), ("ab", "AB"), ("abc", "ABC"), ("abc2", "ABC-2"),
    ("abc23", "ABC-23"), ("abc234", "ABC-234"), ("ABC-234", "ABC-234"),
    ("abc2345", "ABC-234"), ("a b-c", "ABC"), ("abc-", "ABC"),
])
def test_format_partial_code_formats_as_you_type(typed, shown):
    assert format_partial_code(typed) == shown


@pytest.mark.parametrize("text", ["ABC-234", "abc 234", "abc234", "  xyz-789  ", "Zz9 9zZ"])
def test_looks_like_code(text):
    assert looks_like_code(text)


@pytest.mark.parametrize("text", [
    "", "ABC", "ABC-2345", "ABCD-234", "ABC--234", "ABC_234",
    "ABC-230", "ABO-234", "AB1-234", "ABI-234", "ABL-234",   # letters a code never has
    "host.local", "192.168.1.20", "abc234:8080", "[::1]:8080", "abcdef/", "laptop",
])
def test_does_not_look_like_code(text):
    assert not looks_like_code(text)
