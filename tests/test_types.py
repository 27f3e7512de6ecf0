"""Cleaners of property types: a typed value, None when empty, or Invalid with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.graph.model import MODEL
from credgraph.graph.types import TYPES, Invalid, normalise_text


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_cells_clean_to_none(raw: str | None) -> None:
    assert TYPES["date"].clean(raw) is None


@pytest.mark.parametrize("raw", ["2024-13-01", "2024/01/01", "20240101", "2023-02-29"])
def test_malformed_dates_are_invalid(raw: str) -> None:
    assert isinstance(TYPES["date"].clean(raw), Invalid)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("1", True), ("是", True), ("FALSE", False), ("0", False), ("否", False)],
)
def test_booleans_accept_the_contract_words(raw: str, value: bool) -> None:
    assert TYPES["bool"].clean(raw) is value


@pytest.mark.parametrize(("raw", "value"), [("100", 100.0), ("0.01", 0.01), ("25%", 25.0)])
def test_share_pct_accepts_the_interval_zero_to_hundred(raw: str, value: float) -> None:
    assert TYPES["share_pct"].clean(raw) == value


@pytest.mark.parametrize("raw", ["0", "-5", "100.5", "nan", "abc"])
def test_share_pct_outside_the_interval_is_invalid(raw: str) -> None:
    assert isinstance(TYPES["share_pct"].clean(raw), Invalid)


@pytest.mark.parametrize(("raw", "value"), [("存续", "active"), ("吊销", "revoked"), ("注销", "cancelled"),
                                            ("停业", "suspended"), ("经营异常", "abnormal"), ("Active", "active")])
def test_enterprise_status_accepts_chinese_words(raw: str, value: str) -> None:
    assert MODEL.enums["enterprise_status"].clean(raw) == value


def test_an_unknown_enum_word_names_the_accepted_values() -> None:
    result = MODEL.enums["penalty_kind"].clean("spanking")
    assert isinstance(result, Invalid) and "warning" in result.reason


@pytest.mark.parametrize("raw", ["+86 138-0013-8000", "(+86)13800138000", "１３８００１３８０００", "0086 138 0013 8000"])
def test_phone_variants_normalise_to_one_number(raw: str) -> None:
    assert TYPES["phone"].clean(raw) == "13800138000"


def test_email_is_lower_cased_and_full_width_folded() -> None:
    assert TYPES["email"].clean(" Info＠Example.COM ") == "info@example.com"


def test_uscc_is_upper_cased_and_trimmed_before_checking() -> None:
    assert TYPES["uscc"].clean(" 91110108551385082q ") == "91110108551385082Q"


@given(st.text())
def test_normalising_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(st.text())
def test_cleaners_never_raise(text: str) -> None:
    for prop_type in [*TYPES.values(), *MODEL.enums.values()]:
        result = prop_type.clean(text)
        assert result is None or isinstance(result, Invalid) or result is not None


def test_dates_round_trip_through_json() -> None:
    date_type = TYPES["date"]
    assert date_type.from_json(date_type.to_json(dt.date(2024, 2, 29))) == dt.date(2024, 2, 29)


@pytest.mark.parametrize("type_name", ["phone", "email", "address", "name", "uscc"])
@given(text=st.text(max_size=40))
def test_normalisers_are_idempotent(type_name: str, text: str) -> None:
    once = TYPES[type_name].clean(text)
    if once is not None and not isinstance(once, Invalid):
        assert TYPES[type_name].clean(once) == once


@given(digits=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), spaced=st.booleans(), prefix=st.sampled_from(["", "+86 ", "0086", "(+86)"]))
def test_every_spelling_of_a_mobile_number_is_one_phone(digits: str, spaced: bool, prefix: str) -> None:
    shown = f"{digits[:3]}-{digits[3:7]} {digits[7:]}" if spaced else digits
    full_width = shown.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert TYPES["phone"].clean(prefix + shown) == TYPES["phone"].clean(full_width) == digits
