"""Normalised Chinese firm and person names, so that two spellings of one name agree.

Agencies write the registry's 广州市华信贸易有限公司 as 广州华信贸易有限责任公司,
廣州市華信貿易有限公司, 华信贸易（广州）有限公司 or 华信贸易有限公司 with a full-width
space. Entity resolution compares keys that those spellings share, built by the rules
in NOTES.md ("Identifiers"): Unicode NFKC first (full-width brackets, letters and
digits), then traditional to simplified Chinese (OpenCC ``t2s``); legal forms mapped
to canonical tokens rather than deleted; region and branch markers split out.

A registered name reads region + trade name + industry + legal form, optionally
followed by a branch (企业名称登记管理规定), and `parse_firm_name` takes it apart in
that order:

>>> firm = parse_firm_name("广州市华信贸易有限公司天河分公司")
>>> firm.regions, firm.core, firm.form, firm.branch
(('440100',), '华信贸易', 'ltd', '天河分公司')
>>> firm_name_key("華信貿易（廣州）有限責任公司")
'华信贸易|ltd|'

The key says the names may denote one firm: 北京大学 and 南京大学 share the key
``大学||``, so confirm a key match with `regions.compatible` on the regions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from string import ascii_lowercase, ascii_uppercase

import opencc

from credgraph.resolution.regions import region_matches, stem

_CACHE_SIZE = 1 << 18
_T2S_ROUNDS = 4
"""Enough: the longest chain of single characters in OpenCC's t2s is two steps (薴 -> 苧 -> 苎)."""

_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
"""Whitespace of every kind, and the zero-width characters copied in from web pages."""
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_DOTS_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[·•‧・.]+(?=[{_CJK}])")
_BRACKETS_AND_CASE = str.maketrans(
    {"【": "(", "〔": "(", "[": "(", "{": "(", "】": ")", "〕": ")", "]": ")", "}": ")"}
    | dict(zip(ascii_lowercase, ascii_uppercase))
)  # full-width （）［］｛｝ are ASCII after NFKC

_LEGAL_FORMS = {
    "partnership": r"合伙企业\((?:有限|特殊普通|普通)合伙\)|\((?:有限|特殊普通|普通)合伙\)"
    r"|(?:有限|特殊普通|普通)合伙(?:企业)?|合伙企业",
    "sole": r"个人独资企业",
    "jsc": r"股份(?:有限)?公司",
    "ltd": r"有限(?:责任)?公司",
    "co": r"(?<!分)公司",
}
"""Canonical token -> how registered names write that legal form (cleaned: ASCII brackets)."""
_LEGAL_FORM = re.compile("|".join(f"(?P<{token}>{pattern})" for token, pattern in _LEGAL_FORMS.items()))
_BRANCH_MARKERS = ("分公司", "分店", "分厂", "营业部", "办事处", "分行", "支行", "经营部")
_BRACKETED = re.compile(r"\(([^()]*)\)")


@cache
def _t2s() -> opencc.OpenCC:
    """The traditional-to-simplified converter, made on first use (it reads dictionaries)."""
    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """``t2s`` until nothing changes: one pass is not always enough (薴 -> 苧 -> 苎)."""
    for _ in range(_T2S_ROUNDS):
        converted = _t2s().convert(text)
        if converted == text:
            break
        text = converted
    return text


@lru_cache(maxsize=_CACHE_SIZE)
def clean_text(text: str) -> str:
    """A name in one canonical spelling: the first step of every key.

    NFKC (full-width to ASCII), whitespace and zero-width characters removed,
    traditional to simplified, every bracket as ``(`` ``)``, runs of dots between
    Chinese characters as ``·``, ASCII letters upper case. ``clean_text`` of its own
    result changes nothing.

    >>> clean_text("華信 貿易【廣州】ｃｏ")
    '华信贸易(广州)CO'
    >>> clean_text("阿里木 • 买买提"), clean_text("Zhang.Wei")
    ('阿里木·买买提', 'ZHANG.WEI')
    """
    # NFKC again after removing spaces, which may part a letter from its accent ('A´' -> 'A', ' ', U+0301)
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    text = _simplified(text).translate(_BRACKETS_AND_CASE)
    return _DOTS_BETWEEN_CJK.sub("·", text)


@lru_cache(maxsize=_CACHE_SIZE)
def person_name_key(text: str) -> str:
    """The key two spellings of one person's name share; ``''`` for an empty name.

    Letters and digits of `clean_text` survive, upper case and without accents, so
    spaces, dots and hyphens do not count: pinyin spacing and the dot in a
    transliterated name (阿里木·买买提) are written every which way.

    >>> person_name_key("ZHANG WEI") == person_name_key("Zhang  Wei") == "ZHANGWEI"
    True
    >>> person_name_key("張 偉"), person_name_key("阿里木.买买提"), person_name_key("José")
    ('张伟', '阿里木买买提', 'JOSE')
    """
    decomposed = unicodedata.normalize("NFKD", clean_text(text).upper())
    letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch.isalnum()))
    # clean again: without the symbols between them t2s may read the characters differently
    return clean_text(letters)


@dataclass(frozen=True)
class FirmName:
    """A firm name taken apart.

    Attributes
    ----------
    raw : str
        The name as given.
    regions : tuple of str
        Division codes of the region prefix (广州市...) and of a region in brackets
        (华信（广州）贸易...), in that order.
    core : str
        Trade name and industry words, without regions, brackets and legal form.
    form : str
        The legal form as a token: ``ltd`` (有限公司, 有限责任公司), ``jsc`` (股份有限公司,
        股份公司), ``partnership`` (合伙企业, 有限合伙, 普通合伙), ``sole`` (个人独资企业),
        ``co`` (公司 alone), or ``''`` for none (individual businesses ending in 店, 行, 厂,
        and institutions ending in 中心, 所, keep that word in the core).
    branch : str
        The branch after the legal form (广州分公司), region names as stems, or ``''``.
    """

    raw: str
    regions: tuple[str, ...]
    core: str
    form: str
    branch: str

    @property
    def key(self) -> str:
        """``core|form|branch``: shared by spellings of one firm, not by a firm and its branches.

        >>> parse_firm_name("华信贸易有限公司").key, parse_firm_name("华信贸易有限公司广州市分公司").key
        ('华信贸易|ltd|', '华信贸易|ltd|广州分公司')
        """
        return f"{self.core}|{self.form}|{self.branch}"


@lru_cache(maxsize=_CACHE_SIZE)
def parse_firm_name(text: str) -> FirmName:
    """Take a firm name apart into regions, core, legal form and branch.

    >>> parse_firm_name("广东省广州市天河区华信科技（集团）股份有限公司")
    FirmName(raw='广东省广州市天河区华信科技（集团）股份有限公司', regions=('440000', '440100', '440106'), \
core='华信科技集团', form='jsc', branch='')
    >>> parse_firm_name("深圳市南山区华信五金店")
    FirmName(raw='深圳市南山区华信五金店', regions=('440300', '440305'), core='华信五金店', form='', branch='')
    >>> parse_firm_name("华信创业投资合伙企业（有限合伙）").form
    'partnership'
    """
    body, form, tail = _split_legal_form(clean_text(text))
    leading = region_matches(body)
    rest = body[sum(len(m.text) for m in leading) :]
    context = leading[-1].codes if leading else ()
    codes = [code for m in leading for code in m.codes]
    core_parts = []
    for index, piece in enumerate(_BRACKETED.split(rest)):  # text, bracket content, text, ...
        inner = _bracket_region(piece, context) if index % 2 else ()
        codes += inner
        core_parts.append("" if inner else piece)
    core = "".join(core_parts).replace("(", "").replace(")", "")
    return FirmName(text, tuple(dict.fromkeys(codes)), core, form, _normalise_branch(tail))


def firm_name_key(text: str) -> str:
    """The `FirmName.key` of a firm name.

    >>> firm_name_key("广州华信贸易有限责任公司") == firm_name_key("廣州市華信貿易有限公司")
    True
    """
    return parse_firm_name(text).key


def _split_legal_form(name: str) -> tuple[str, str, str]:
    """(what comes before the legal form, its token, the branch after it).

    The last legal form counts if nothing or a branch follows it; otherwise the name
    has no legal form and all of it is body.
    """
    for match in reversed(list(_LEGAL_FORM.finditer(name))):
        tail = name[match.end() :]
        if tail.startswith("(") and tail.endswith(")"):
            tail = tail[1:-1]  # 华信有限公司（广州分公司）
        if not tail or tail.endswith(_BRANCH_MARKERS):
            return name[: match.start()], match.lastgroup or "", tail
    return name, "", ""


def _bracket_region(content: str, context: tuple[str, ...]) -> tuple[str, ...]:
    """The codes of the region a bracket holds (华信（广州）贸易), or () if it holds other words.

    Inside the region before it first (北京华信（朝阳）: Beijing's 朝阳区), then anywhere.
    """
    for within in (context, ()) if context else ((),):
        matches = region_matches(content, within=within, min_rest=0)
        if matches and sum(len(m.text) for m in matches) == len(content):
            return tuple(code for m in matches for code in m.codes)
    return ()


def _normalise_branch(branch: str) -> str:
    """Region names at the start of a branch as stems: 广州市天河区支行 -> 广州天河支行."""
    matches = region_matches(branch)
    rest = branch[sum(len(m.text) for m in matches) :]
    return "".join(stem(m.text) for m in matches) + rest
