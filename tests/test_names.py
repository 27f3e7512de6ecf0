"""Name normalisation: spellings of one firm or person share a key, different ones do not."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from credgraph.resolution.names import (
    FirmName,
    clean_text,
    firm_name_key,
    parse_firm_name,
    person_name_key,
)

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
"""Chinese characters, traditional and simplified alike."""


def _full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as their full-width forms (A -> Ａ, ( -> （)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@st.composite
def firm_names(draw: st.DrawFn) -> str:
    """Registered-looking firm names: region, trade name, industry, legal form, branch."""
    region = draw(st.sampled_from(["", "广州市", "广州", "广东省深圳市南山区", "北京朝阳", "(广州)"]))
    trade = draw(st.text(alphabet=st.sampled_from("华信恒达鑫源盛隆泰丰汇通宏远金诚ABC123"), min_size=2, max_size=4))
    industry = draw(st.sampled_from(["贸易", "科技", "(集团)", "投资管理", "IT服务"]))
    form = draw(st.sampled_from(["有限公司", "有限责任公司", "股份有限公司", "合伙企业(有限合伙)", "商行", ""]))
    branch = draw(st.sampled_from(["", "广州市分公司", "天河支行", "第一营业部"]))
    return region + trade + industry + form + branch


def _with_spaces(text: str, where: list[int]) -> str:
    """``text`` with a space inserted at each of the positions ``where``."""
    for position in sorted(where, reverse=True):
        text = text[:position] + " " + text[position:]
    return text


# -- clean_text --------------------------------------------------------------


def test_clean_text_turns_full_width_letters_and_digits_to_ascii() -> None:
    assert clean_text("ＡＢＣ１２３") == "ABC123"


def test_clean_text_turns_traditional_characters_to_simplified() -> None:
    assert clean_text("廣州市華信貿易有限責任公司") == "广州市华信贸易有限责任公司"


def test_clean_text_simplifies_until_nothing_changes() -> None:
    assert clean_text("薴") == "苎"  # t2s makes 苧 of it in one pass, 苎 in two


@pytest.mark.parametrize("space", [" ", "\u3000", "\t", "\n", "\u00a0", "\u200b", "\ufeff", "  \u3000 "])
def test_clean_text_removes_every_kind_of_space(space: str) -> None:
    assert clean_text(f"华信{space}贸易") == "华信贸易"


def test_clean_text_removes_spaces_before_simplifying() -> None:
    assert clean_text("乾 隆") == clean_text("乾隆") == "乾隆"  # alone, t2s makes 乾 干


@pytest.mark.parametrize("brackets", ["()", "（）", "【】", "〔〕", "［］", "｛｝", "[]", "{}"])
def test_clean_text_writes_every_bracket_as_ascii_parentheses(brackets: str) -> None:
    assert clean_text(f"华信{brackets[0]}广州{brackets[1]}") == "华信(广州)"


@pytest.mark.parametrize("dot", ["·", "•", "‧", "・", ".", "．", "･", " · ", " . ", "··"])
def test_clean_text_writes_dots_between_chinese_characters_as_one_middle_dot(dot: str) -> None:
    assert clean_text(f"阿里木{dot}买买提") == "阿里木·买买提"


@pytest.mark.parametrize(
    ("text", "expected"), [("Zhang.Wei", "ZHANG.WEI"), ("3.5", "3.5"), ("华信.COM", "华信.COM")]
)
def test_clean_text_leaves_dots_that_are_not_between_chinese_characters(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_clean_text_upper_cases_latin_letters() -> None:
    assert clean_text("ibm中国") == "IBM中国"


@given(st.text())
@example("A\u00b4")  # NFKC makes the acute accent a space and U+0301, which must join the A after all
def test_clean_text_of_clean_text_changes_nothing(text: str) -> None:
    assert clean_text(clean_text(text)) == clean_text(text)


@given(st.text(alphabet=st.one_of(HAN, st.sampled_from(" ·.()（）【】ａＢ1")), max_size=12))
@example("阿 . 买")  # the dot is between Chinese characters only once the spaces are gone
def test_clean_text_of_clean_chinese_text_changes_nothing(text: str) -> None:
    assert clean_text(clean_text(text)) == clean_text(text)


# -- person_name_key -----------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["ZHANG WEI", "Zhang  Wei", "zhang wei", "Zhang-Wei", "ＺＨＡＮＧ　ＷＥＩ", "Zhang,Wei"]
)
def test_person_name_key_ignores_case_spacing_and_punctuation_of_latin_names(spelling: str) -> None:
    assert person_name_key(spelling) == "ZHANGWEI"


@pytest.mark.parametrize("spelling", ["阿里木·买买提", "阿里木.买买提", "阿里木•买买提", "阿里木 买买提", "阿里木买买提"])
def test_person_name_key_ignores_how_the_dot_of_a_transliterated_name_is_written(spelling: str) -> None:
    assert person_name_key(spelling) == "阿里木买买提"


def test_person_name_key_agrees_across_traditional_and_simplified() -> None:
    assert person_name_key("張 偉") == person_name_key("张伟") == "张伟"


def test_person_name_key_drops_accents() -> None:
    assert person_name_key("José Müller") == "JOSEMULLER"


def test_person_name_key_keeps_different_names_apart() -> None:
    assert person_name_key("张伟") != person_name_key("张玮")


@pytest.mark.parametrize("blank", ["", " ", "\u3000", "·"])
def test_person_name_key_of_a_blank_name_is_empty(blank: str) -> None:
    assert person_name_key(blank) == ""


@given(st.text(), st.lists(st.integers(0, 20), max_size=4))
@example("乾隆", [1])
def test_person_name_key_ignores_added_spaces(name: str, where: list[int]) -> None:
    assert person_name_key(_with_spaces(name, where)) == person_name_key(name)


@given(st.text())
@example("⿴⺀貝")  # an ideographic description sequence: t2s leaves 貝 alone until ⿴ and ⺀ are gone
def test_person_name_key_of_a_key_is_the_key(name: str) -> None:
    key = person_name_key(name)
    assert person_name_key(key) == key


# -- parse_firm_name: regions, core, legal form ------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "广州市华信贸易有限公司",
        "广州华信贸易有限公司",
        "广州华信贸易有限责任公司",
        "廣州市華信貿易有限公司",
        "广州市 华信贸易 有限公司",
        "华信贸易（广州）有限公司",
        "华信（广州）贸易有限公司",
        "华信贸易有限公司",
        "广东省广州市华信贸易有限公司",
    ],
)
def test_spellings_of_one_firm_share_a_key(spelling: str) -> None:
    assert firm_name_key(spelling) == "华信贸易|ltd|"


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("华信贸易有限公司", "ltd"),
        ("华信贸易有限责任公司", "ltd"),
        ("华信贸易股份有限公司", "jsc"),
        ("华信贸易股份公司", "jsc"),
        ("华信投资合伙企业（有限合伙）", "partnership"),
        ("华信投资中心（有限合伙）", "partnership"),
        ("华信投资合伙企业（普通合伙）", "partnership"),
        ("华信会计师事务所（特殊普通合伙）", "partnership"),
        ("华信投资有限合伙企业", "partnership"),
        ("华信投资合伙企业", "partnership"),
        ("华信贸易个人独资企业", "sole"),
        ("中国华信集团公司", "co"),
        ("华信五金店", ""),
    ],
)
def test_legal_forms_map_to_canonical_tokens(name: str, form: str) -> None:
    assert parse_firm_name(name).form == form


LEGAL_FORM_VARIANTS = ["华信贸易有限公司", "华信贸易股份有限公司", "华信贸易合伙企业", "华信贸易个人独资企业", "华信贸易"]


@pytest.mark.parametrize("name", LEGAL_FORM_VARIANTS)
def test_the_legal_form_leaves_the_core(name: str) -> None:
    assert parse_firm_name(name).core == "华信贸易"


def test_the_legal_form_is_kept_in_the_key_not_deleted() -> None:
    assert len({firm_name_key(name) for name in LEGAL_FORM_VARIANTS}) == len(LEGAL_FORM_VARIANTS)


@pytest.mark.parametrize(
    ("name", "form"),
    [("华信集团有限公司", "ltd"), ("华信（集团）有限公司", "ltd"), ("华信集团股份有限公司", "jsc"), ("华信(集团)股份有限公司", "jsc")],
)
def test_group_stays_in_the_core(name: str, form: str) -> None:
    firm = parse_firm_name(name)
    assert (firm.core, firm.form) == ("华信集团", form)


@pytest.mark.parametrize("ending", ["厂", "店", "行", "部", "中心", "所"])
def test_individual_businesses_and_institutions_keep_their_last_word(ending: str) -> None:
    firm = parse_firm_name(f"广州华信五金{ending}")
    assert (firm.core, firm.form) == (f"华信五金{ending}", "")


def test_the_region_prefix_goes_to_regions_not_to_the_core() -> None:
    firm = parse_firm_name("广东省广州市天河区华信贸易有限公司")
    assert (firm.regions, firm.core) == (("440000", "440100", "440106"), "华信贸易")


def test_a_region_in_brackets_goes_to_regions_not_to_the_core() -> None:
    firm = parse_firm_name("华信（广州）科技有限公司")
    assert (firm.regions, firm.core) == (("440100",), "华信科技")


def test_regions_list_the_prefix_then_the_bracket() -> None:
    assert parse_firm_name("广州华信（深圳）科技有限公司").regions == ("440100", "440300")


def test_a_region_named_twice_is_listed_once() -> None:
    assert parse_firm_name("广州华信（广州）贸易有限公司").regions == ("440100",)


def test_a_district_in_brackets_is_read_inside_the_prefix_region() -> None:
    assert parse_firm_name("北京华信（朝阳）科技有限公司").regions == ("110000", "110105")


def test_other_words_in_brackets_stay_in_the_core_without_brackets() -> None:
    assert parse_firm_name("IBM（中国）有限公司").core == "IBM中国"


def test_a_stray_bracket_is_dropped_from_the_core() -> None:
    assert parse_firm_name("华信（贸易有限公司").core == "华信贸易"


def test_digits_and_latin_letters_stay_in_the_core_normalised() -> None:
    assert parse_firm_name("广州３６０ｔｅｃｈ科技有限公司").core == "360TECH科技"


def test_a_region_name_never_takes_the_whole_trade_name() -> None:
    assert parse_firm_name("广州信有限公司").core == "广州信"


# -- parse_firm_name: branches --------------------------------------------------


def test_a_branch_is_kept_apart_from_the_parent() -> None:
    firm = parse_firm_name("华信贸易有限公司广州分公司")
    assert (firm.core, firm.form, firm.branch) == ("华信贸易", "ltd", "广州分公司")


@pytest.mark.parametrize("marker", ["分公司", "分店", "分厂", "营业部", "办事处", "分行", "支行", "经营部"])
def test_every_branch_marker_after_a_legal_form_makes_a_branch(marker: str) -> None:
    assert parse_firm_name(f"华信贸易股份有限公司天河{marker}").branch == f"天河{marker}"


@pytest.mark.parametrize("spelling", ["华信贸易有限公司广州市分公司", "华信贸易有限公司（广州分公司）", "華信貿易有限公司 廣州 分公司"])
def test_spellings_of_one_branch_share_a_key(spelling: str) -> None:
    assert firm_name_key(spelling) == firm_name_key("华信贸易有限公司广州分公司")


def test_a_parent_and_its_branch_have_different_keys() -> None:
    assert firm_name_key("华信贸易有限公司") != firm_name_key("华信贸易有限公司广州分公司")


def test_a_branch_marker_without_a_legal_form_is_part_of_the_name() -> None:
    firm = parse_firm_name("华信贸易经营部")
    assert (firm.core, firm.form, firm.branch) == ("华信贸易经营部", "", "")


def test_words_after_a_legal_form_that_are_no_branch_leave_the_name_without_a_form() -> None:
    firm = parse_firm_name("华信贸易有限公司（原华信商行）")
    assert (firm.form, firm.branch) == ("", "")


# -- parse_firm_name: the record -------------------------------------------------


def test_the_parse_keeps_the_raw_name() -> None:
    assert parse_firm_name(" 華信貿易有限公司 ").raw == " 華信貿易有限公司 "


def test_an_empty_name_parses_to_empty_parts() -> None:
    assert parse_firm_name("") == FirmName(raw="", regions=(), core="", form="", branch="")


def test_the_key_joins_core_form_and_branch() -> None:
    firm = FirmName(raw="", regions=("440100",), core="华信贸易", form="ltd", branch="天河分公司")
    assert firm.key == "华信贸易|ltd|天河分公司"


@given(firm_names())
def test_firm_name_key_is_the_key_of_the_parse(name: str) -> None:
    assert firm_name_key(name) == parse_firm_name(name).key


@given(firm_names(), st.lists(st.integers(0, 30), max_size=5))
@example("乾隆贸易有限公司", [1])
def test_firm_name_key_ignores_added_spaces(name: str, where: list[int]) -> None:
    assert firm_name_key(_with_spaces(name, where)) == firm_name_key(name)


@given(firm_names())
def test_firm_name_key_ignores_full_width_spelling(name: str) -> None:
    assert firm_name_key(_full_width(name)) == firm_name_key(name)
