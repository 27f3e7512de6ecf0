"""Check characters of USCCs (GB 32100-2015) and resident IDs (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.graph.identifiers import (
    USCC_ALPHABET,
    resident_id_check_char,
    resident_id_facts,
    resident_id_problem,
    uscc_check_char,
    uscc_problem,
)

uscc_bodies = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)
id_bodies = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq:03d}",
    st.integers(110000, 659999).map(str),
    st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.integers(0, 999),
)


@pytest.mark.parametrize("code", ["914403001922038216", "91110108551385082Q"])
def test_published_usccs_validate(code: str) -> None:
    assert uscc_problem(code) is None


def test_the_web_example_with_a_wrong_check_character_is_rejected() -> None:
    assert uscc_problem("91350100M000100Y4Z") is not None


@given(uscc_bodies)
def test_a_body_with_its_check_character_validates(body: str) -> None:
    assert uscc_problem(body + uscc_check_char(body)) is None


@given(uscc_bodies, st.sampled_from(USCC_ALPHABET))
def test_any_other_check_character_is_rejected(body: str, wrong: str) -> None:
    if wrong != uscc_check_char(body):
        assert "check character" in uscc_problem(body + wrong)


@given(uscc_bodies, st.integers(0, 16), st.sampled_from(USCC_ALPHABET))
def test_a_single_changed_character_is_caught(body: str, position: int, replacement: str) -> None:
    code = body + uscc_check_char(body)
    changed = code[:position] + replacement + code[position + 1 :]
    assert (uscc_problem(changed) is None) == (changed == code)


@pytest.mark.parametrize("code", ["", "91440300", "9144030019220382160", "91440300192203821I"])
def test_wrong_length_or_alphabet_is_rejected(code: str) -> None:
    assert uscc_problem(code) is not None


def test_the_standards_resident_id_example_validates() -> None:
    assert resident_id_problem("11010519491231002X") is None
    assert resident_id_facts("11010519491231002X") == (dt.date(1949, 12, 31), "female")


@given(id_bodies)
def test_a_resident_id_with_its_check_digit_validates(body: str) -> None:
    number = body + resident_id_check_char(body)
    assert resident_id_problem(number) is None
    born, gender = resident_id_facts(number)
    assert born.strftime("%Y%m%d") == body[6:14]
    assert gender == ("male" if int(body[16]) % 2 else "female")


@given(id_bodies, st.sampled_from("0123456789X"))
def test_a_wrong_check_digit_is_rejected(body: str, wrong: str) -> None:
    if wrong != resident_id_check_char(body):
        assert resident_id_problem(body + wrong) is not None


def test_an_impossible_birth_date_is_rejected() -> None:
    body = "11010519490231002"
    assert "calendar date" in resident_id_problem(body + resident_id_check_char(body))
