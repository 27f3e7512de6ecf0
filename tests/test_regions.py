"""Chinese administrative divisions: the table, stems, codes and region prefixes of firm names."""

from __future__ import annotations

from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.resolution.regions import (
    codes_for,
    compatible,
    name_of,
    province_code,
    split_region_prefix,
    stem,
)


def _table() -> list[tuple[str, str]]:
    text = files("credgraph.resolution").joinpath("regions.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return [(code, name) for code, name in rows]


TABLE = _table()
NAMES = sorted({name for _, name in TABLE})
CODES = [code for code, _ in TABLE]


# -- the table ---------------------------------------------------------------


def test_the_table_credits_its_source() -> None:
    header = files("credgraph.resolution").joinpath("regions.tsv").read_text(encoding="utf-8").split("\n")[:6]
    assert all(line.startswith("#") for line in header[:2])
    assert "cpca 0.5.5" in "\n".join(header) and "MIT" in "\n".join(header)


def test_the_table_has_unique_six_digit_codes() -> None:
    assert all(len(code) == 6 and code.isdigit() for code in CODES)
    assert len(set(CODES)) == len(CODES)


def test_the_table_has_all_34_provincial_divisions() -> None:
    provinces = {code[:2] for code in CODES if code.endswith("0000")}
    assert len(provinces) == 34 and {"11", "44", "65", "71", "81", "82"} <= provinces


@pytest.mark.parametrize("placeholder", ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"])
def test_the_table_has_no_placeholder_rows(placeholder: str) -> None:
    assert placeholder not in NAMES


# -- stem --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("广东省", "广东"),
        ("广州市", "广州"),
        ("天河区", "天河"),
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        ("宁夏回族自治区", "宁夏"),
        ("西藏自治区", "西藏"),
        ("延边朝鲜族自治州", "延边"),
        ("香港特别行政区", "香港"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("东乡族自治县", "东乡"),
        ("浦东新区", "浦东"),
        ("清新区", "清新"),
        ("神农架林区", "神农架"),
        ("万柏林区", "万柏林"),
        ("瀍河回族区", "瀍河"),
        ("喀什地区", "喀什"),
        ("正蓝旗", "正蓝"),
        ("津市市", "津市"),
    ],
)
def test_stem_drops_the_level_suffix_and_nationalities(name: str, expected: str) -> None:
    assert stem(name) == expected


@pytest.mark.parametrize("name", ["东区", "城区", "矿区", "忠县", "芒市"])
def test_stem_never_shortens_a_name_below_two_characters(name: str) -> None:
    assert stem(name) == name


def test_every_stem_has_two_characters_or_more() -> None:
    assert [name for name in NAMES if len(stem(name)) < 2] == []


def test_a_stem_is_its_own_stem() -> None:
    assert [name for name in NAMES if stem(stem(name)) != stem(name)] == []


# -- codes_for, name_of, province_code ------------------------------------------


@pytest.mark.parametrize("text", ["广州市", "广州"])
def test_codes_for_finds_a_division_by_full_name_or_stem(text: str) -> None:
    assert codes_for(text) == ("440100",)


def test_codes_for_gives_every_division_of_an_ambiguous_name_sorted() -> None:
    assert codes_for("朝阳区") == ("110105", "220104")


def test_codes_for_an_unknown_name_is_empty() -> None:
    assert codes_for("华信") == ()


@pytest.mark.parametrize(("code", "name"), [("44", "广东省"), ("4401", "广州市"), ("440100", "广州市"),
                                            ("440106", "天河区")])
def test_name_of_reads_two_four_and_six_digit_codes(code: str, name: str) -> None:
    assert name_of(code) == name


def test_name_of_an_unknown_code_is_none() -> None:
    assert name_of("990000") is None


@pytest.mark.parametrize("text", ["广东", "广东省", "粤"])
def test_province_code_reads_names_stems_and_abbreviations(text: str) -> None:
    assert province_code(text) == "44"


@pytest.mark.parametrize(("text", "code"), [("京", "11"), ("蜀", "51"), ("黔", "52"), ("陇", "62"), ("港", "81")])
def test_province_code_knows_the_one_character_abbreviations(text: str, code: str) -> None:
    assert province_code(text) == code


def test_province_code_prefers_the_province_to_a_namesake_prefecture() -> None:
    assert province_code("海南") == "46"  # not 海南藏族自治州 (632500)


@pytest.mark.parametrize("text", ["广州", "天河区", "华信", ""])
def test_province_code_of_anything_else_is_none(text: str) -> None:
    assert province_code(text) is None


# -- compatible --------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("440106", "440106", True),
        ("440106", "440100", True),
        ("440106", "440000", True),
        ("440106", "4401", True),
        ("440106", "44", True),
        ("44", "440106", True),
        ("4401", "440106", True),
        ("440106", "440103", False),
        ("440106", "4403", False),
        ("440100", "440300", False),
        ("44", "45", False),
    ],
)
def test_compatible_means_equal_or_inside(a: str, b: str, expected: bool) -> None:
    assert compatible(a, b) is expected


GUANGDONG_CODES = st.tuples(
    st.sampled_from([c for c in CODES if c.startswith("44")]), st.sampled_from([2, 4, 6])
).map(lambda drawn: drawn[0][: drawn[1]])  # one province, each code cut to 2, 4 or 6 digits: many pairs lie one inside the other


@given(GUANGDONG_CODES, GUANGDONG_CODES)
def test_compatible_is_symmetric(a: str, b: str) -> None:
    assert compatible(a, b) == compatible(b, a)


@pytest.mark.parametrize("code", ["4", "44010", "4401060", "abcdef", "", "４４"])
def test_a_malformed_code_is_rejected(code: str) -> None:
    with pytest.raises(ValueError, match="2, 4 or 6 digits"):
        compatible(code, "44")


# -- split_region_prefix -------------------------------------------------------------


def test_split_reads_province_city_and_district() -> None:
    assert split_region_prefix("广东省广州市天河区华信贸易有限公司") == (
        ("440000", "440100", "440106"), "华信贸易有限公司")


def test_split_reads_stems() -> None:
    assert split_region_prefix("广东广州天河华信贸易") == (("440000", "440100", "440106"), "华信贸易")


@pytest.mark.parametrize("name", ["华信贸易有限公司", "忠信贸易有限公司", "沙发贸易有限公司"])  # not 忠县, 沙县
def test_split_without_a_region_keeps_the_name(name: str) -> None:
    assert split_region_prefix(name) == ((), name)


@pytest.mark.parametrize(("name", "code"), [("北京市朝阳区华信", "110105"), ("长春市朝阳区华信", "220104"),
                                            ("北京朝阳华信", "110105")])
def test_split_resolves_a_district_under_the_city_just_read(name: str, code: str) -> None:
    assert split_region_prefix(name)[0][-1] == code


def test_split_takes_a_district_at_the_start_when_its_name_is_unique() -> None:
    assert split_region_prefix("天河华信") == (("440106",), "华信")


def test_split_leaves_an_ambiguous_district_stem_at_the_start() -> None:
    assert split_region_prefix("南山华信") == ((), "南山华信")  # Shenzhen's or Hegang's


def test_split_gives_every_code_of_an_ambiguous_full_name() -> None:
    assert split_region_prefix("朝阳区华信") == (("110105", "220104"), "华信")


@pytest.mark.parametrize(("name", "code"), [("吉林华信", "220000"), ("海南华信", "460000"), ("朝阳华信", "211300")])
def test_split_at_the_start_prefers_the_highest_level(name: str, code: str) -> None:
    assert split_region_prefix(name)[0] == (code,)


def test_split_reads_a_city_named_like_its_province() -> None:
    assert split_region_prefix("吉林吉林华信") == (("220000", "220200"), "华信")


def test_split_ignores_a_district_of_another_city() -> None:
    assert split_region_prefix("广州市南山区华信") == (("440100",), "南山区华信")


def test_split_takes_the_longest_name() -> None:
    assert split_region_prefix("黔西南华信") == (("522300",), "华信")  # not 黔西县 + 南华信


@pytest.mark.parametrize("name", ["广州信", "广州市信", "广州", "广州市"])
def test_split_leaves_at_least_two_characters_of_name(name: str) -> None:
    assert split_region_prefix(name) == ((), name)
