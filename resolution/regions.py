"""Chinese administrative divisions, and the region prefixes of firm names.

Entity resolution needs to know that 广东省广州市天河区, 广州天河 and 天河区 name the
same place, because agencies write firm names with more, less or none of the
region a firm registered under. A registered firm name reads, by the naming rules
(企业名称登记管理规定): region + trade name + industry + legal form, where the region is
a division at county level or above, written in full (广州市) or as its stem (广州).

The divisions come from ``regions.tsv`` (code, name), derived from the MIT-licensed
cpca 0.5.5 package's ``adcodes.csv``, itself from the national division codes
(GB/T 2260): the first 6 of its 12 digits kept, the placeholder rows 市辖区, 县 and
省直辖县级行政区划 dropped. Its vintage is about 2016, so later renamings are missing.

A code is 6 digits: 2 for the province, 2 for the prefecture, 2 for the county, so
``44`` is 广东省, ``4401`` 广州市 and ``440106`` 天河区; ``440100`` means ``4401``.

>>> stem("新疆维吾尔自治区")
'新疆'
>>> split_region_prefix("广东省广州市天河区华信贸易有限公司")
(('440000', '440100', '440106'), '华信贸易有限公司')
>>> compatible("440106", "4401")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

_MIN_STEM = 2
"""No stem is shorter than this: 东区 and 城区 stay whole."""

_LEVEL_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区",
    "新区", "矿区", "特区", "省", "市", "区", "县", "旗", "盟",
)  # longest first: 浦东新区 -> 浦东, but 清新区 -> 清新 because 清 is too short
_STEM_OVERRIDES = {"神农架林区": "神农架"}  # the only forest district (林区); 万柏林区 is 万柏林 + 区
_ETHNIC_GROUPS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔",
    "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯",
    "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "高山", "汉",
    "各",
)  # the 56 nationalities, and 各 for 各族 (隆林各族自治县)
_ETHNIC_NAMES = sorted(
    {g + "族" for g in _ETHNIC_GROUPS} | {g for g in _ETHNIC_GROUPS if len(g) > 1}, key=len, reverse=True
)  # 蒙古族 or 蒙古 (新疆维吾尔自治区); one-character groups only with 族
_ETHNIC_TAIL = re.compile(f"(?:{'|'.join(_ETHNIC_NAMES)})$")

PROVINCE_ABBREVIATIONS = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22", "黑": "23",
    "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37", "豫": "41",
    "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46", "渝": "50", "川": "51", "蜀": "51",
    "贵": "52", "黔": "52", "云": "53", "滇": "53", "藏": "54", "陕": "61", "秦": "61", "甘": "62",
    "陇": "62", "青": "63", "宁": "64", "新": "65", "台": "71", "港": "81", "澳": "82",
}
"""The one-character province abbreviations (简称) used on plates, in court case numbers and so on."""


@dataclass(frozen=True)
class RegionMatch:
    """A division name as written at the start of a text, and the codes it stands for."""

    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    names: dict[str, str]  # code -> full name
    surfaces: dict[str, tuple[str, ...]]  # full name or stem -> sorted codes
    full_names: frozenset[str]
    sizes: dict[str, tuple[int, ...]]  # first character -> lengths of the surfaces it starts, longest first


def stem(name: str) -> str:
    """A division name without its level suffix, never shorter than 2 characters.

    The suffix (省, 市, 区, 县, 自治州, 特别行政区, ...) goes first, then the nationalities
    an autonomous division is named for.

    >>> [stem(n) for n in ("广东省", "天河区", "广西壮族自治区", "延边朝鲜族自治州", "香港特别行政区")]
    ['广东', '天河', '广西', '延边', '香港']
    >>> [stem(n) for n in ("内蒙古自治区", "东区", "城区", "津市市")]
    ['内蒙古', '东区', '城区', '津市']
    """
    if name in _STEM_OVERRIDES:
        return _STEM_OVERRIDES[name]
    for suffix in _LEVEL_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_STEM:
            return _strip_nationalities(name[: -len(suffix)])
    return name


def _strip_nationalities(base: str) -> str:
    """宁夏回族 -> 宁夏, 积石山保安族东乡族撒拉族 -> 积石山, 东乡族 -> 东乡, 内蒙古 stays."""
    while (tail := _ETHNIC_TAIL.search(base)) and tail.start() >= _MIN_STEM:
        base = base[: tail.start()]
    if base.endswith("族") and len(base) > _MIN_STEM:
        base = base[:-1]
    return base


@cache
def _lexicon() -> _Lexicon:
    """Read ``regions.tsv`` once."""
    text = files("credgraph.resolution").joinpath("regions.tsv").read_text(encoding="utf-8")
    names = dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    surfaces: dict[str, set[str]] = {}
    for code, name in names.items():
        surfaces.setdefault(name, set()).add(code)
        surfaces.setdefault(stem(name), set()).add(code)
    sizes: dict[str, set[int]] = {}
    for surface in surfaces:
        sizes.setdefault(surface[0], set()).add(len(surface))
    return _Lexicon(
        names=names,
        surfaces={s: tuple(sorted(c)) for s, c in surfaces.items()},
        full_names=frozenset(names.values()),
        sizes={first: tuple(sorted(n, reverse=True)) for first, n in sizes.items()},
    )


@lru_cache(maxsize=1 << 12)
def _significant(code: str) -> str:
    """The code without its trailing zero pairs: '440100' -> '4401', '44' -> '44'."""
    if not (code.isascii() and code.isdigit() and len(code) in (2, 4, 6)):
        raise ValueError(f"a division code has 2, 4 or 6 digits, not {code!r}")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def name_of(code: str) -> str | None:
    """The full name of a division code of 2, 4 or 6 digits, or ``None`` when unknown.

    >>> name_of("44"), name_of("4401"), name_of("440106"), name_of("990000")
    ('广东省', '广州市', '天河区', None)
    """
    return _lexicon().names.get(_significant(code).ljust(6, "0"))


def codes_for(text: str) -> tuple[str, ...]:
    """The sorted codes of the divisions whose full name or stem is ``text``.

    >>> codes_for("广州市"), codes_for("广州")
    (('440100',), ('440100',))
    >>> codes_for("朝阳区")  # Beijing's and Changchun's
    ('110105', '220104')
    """
    return _lexicon().surfaces.get(text, ())


def province_code(text: str) -> str | None:
    """The 2-digit code of the province named by its full name, stem or abbreviation.

    >>> province_code("广东省"), province_code("广东"), province_code("粤"), province_code("广州")
    ('44', '44', '44', None)
    """
    if text in PROVINCE_ABBREVIATIONS:
        return PROVINCE_ABBREVIATIONS[text]
    provinces = [code for code in codes_for(text) if code.endswith("0000")]
    return provinces[0][:2] if len(provinces) == 1 else None


def compatible(code_a: str, code_b: str) -> bool:
    """Whether two division codes are equal or one lies inside the other.

    Raises ``ValueError`` for a code that is not 2, 4 or 6 digits.

    >>> compatible("440106", "440100"), compatible("440106", "44"), compatible("440106", "440103")
    (True, True, False)
    """
    a, b = _significant(code_a), _significant(code_b)
    return a.startswith(b) or b.startswith(a)


def _inside(code: str, parent: str) -> bool:
    a, b = _significant(code), _significant(parent)
    return a != b and a.startswith(b)


def _choose(codes: tuple[str, ...], full_name: bool, within: tuple[str, ...]) -> tuple[str, ...]:
    """Which of the divisions a name may denote it denotes here, or () for none.

    After a region (``within``) only divisions inside it count. At the start the
    highest level wins (吉林 is the province before the city, 朝阳 the city 朝阳市
    before the districts), and a name still ambiguous is taken only when written in
    full (朝阳区 is certainly a district, if not which one).
    """
    if within:
        candidates = tuple(c for c in codes if any(_inside(c, w) for w in within))
    else:
        top = min(len(_significant(c)) for c in codes)
        candidates = tuple(c for c in codes if len(_significant(c)) == top)
    return candidates if len(candidates) == 1 or full_name else ()


def region_matches(text: str, *, within: tuple[str, ...] = (), min_rest: int = 2) -> tuple[RegionMatch, ...]:
    """The division names at the start of ``text``, in order, longest match first.

    Each must lie inside the one before (or inside ``within``), and at least
    ``min_rest`` characters must follow the last, so a stem never eats a trade name.

    >>> region_matches("北京朝阳华信")
    (RegionMatch(text='北京', codes=('110000',)), RegionMatch(text='朝阳', codes=('110105',)))
    >>> region_matches("朝阳", within=("11",), min_rest=0)
    (RegionMatch(text='朝阳', codes=('110105',)),)
    """
    found: list[RegionMatch] = []
    start = 0
    while match := _match_at(text, start, found[-1].codes if found else within, min_rest):
        found.append(match)
        start += len(match.text)
    return tuple(found)


def _match_at(text: str, start: int, within: tuple[str, ...], min_rest: int) -> RegionMatch | None:
    """The longest division name at ``start``, or ``None`` when it leaves too little.

    Too little means none at all, not a shorter name: in 广州市信 the stem 广州 would
    leave 市信, half a division name, for the trade name.
    """
    lexicon = _lexicon()
    room = len(text) - start
    for size in lexicon.sizes.get(text[start : start + 1], ()):
        surface = text[start : start + size]
        if size <= room and (codes := lexicon.surfaces.get(surface)) and (
            chosen := _choose(codes, surface in lexicon.full_names, within)
        ):
            return RegionMatch(surface, chosen) if room - size >= min_rest else None
    return None


@lru_cache(maxsize=1 << 16)
def split_region_prefix(name: str) -> tuple[tuple[str, ...], str]:
    """The codes of the divisions a firm name starts with, and the rest of the name.

    Full names and stems count; a district or county only inside the division just
    read, or at the very start when nothing above it bears its name. A stem leaves
    at least 2 characters of name. The risk this takes: a trade name that begins
    with a division's stem by coincidence loses it (平安银行 reads as 平安区 + 银行);
    one-character stems are never used, which keeps that risk to real place names.
    A full name ambiguous even in context (朝阳区 at the start) gives all its codes;
    an ambiguous stem (南山 at the start) is not taken.

    >>> split_region_prefix("广州华信贸易有限公司")
    (('440100',), '华信贸易有限公司')
    >>> split_region_prefix("北京市朝阳区华信科技有限公司")
    (('110000', '110105'), '华信科技有限公司')
    >>> split_region_prefix("广州华信")  # 华信 is no region; 广州 leaves 2 characters
    (('440100',), '华信')
    >>> split_region_prefix("广州信"), split_region_prefix("广州市信")
    (((), '广州信'), ((), '广州市信'))
    """
    matches = region_matches(name)
    consumed = sum(len(m.text) for m in matches)
    return tuple(code for m in matches for code in m.codes), name[consumed:]
