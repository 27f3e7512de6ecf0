"""Realistic formatting noise that the loaders' cleaners must undo.

Agencies type the same phone, address or e-mail in many ways. Each function
here returns one written form of a canonical value; every form cleans back to
the canonical value through ``graph/types.py`` (``TYPES["phone"].clean`` and
friends), which the tests check. Canonical forms: phones are bare digits (mobile
``13800138000``, landline with area code ``02012345678``), addresses have no
spaces and half-width digits, e-mails are lower case.

>>> import random
>>> rng = random.Random(3)
>>> sorted({phone(rng, "13800138000") for _ in range(200)})[:3]
['(+86) 13800138000', '+86 138 0013 8000', '+86-138-0013-8000']
"""

from __future__ import annotations

import random

_FULL = str.maketrans("0123456789()-+@ ", "０１２３４５６７８９（）－＋＠\u3000")


def full_width(text: str) -> str:
    """Digits, brackets, dashes, plus, at-sign and spaces turned full-width."""
    return text.translate(_FULL)


def _mobile_forms(n: str) -> list[str]:
    a, b, c = n[:3], n[3:7], n[7:]
    return [n, f"{a}-{b}-{c}", f"{a} {b} {c}", f"+86 {a} {b} {c}", f"+86-{a}-{b}-{c}",
            f"0086 {n}", f"(+86) {n}", full_width(n), f"+86{n}"]


def _landline_forms(n: str) -> list[str]:
    area_len = 3 if n[1] in "12" else 4  # 010, 020-029 are three digits; the rest four
    area, local = n[:area_len], n[area_len:]
    return [n, f"{area}-{local}", f"({area}){local}", f"{area} {local[:4]} {local[4:]}",
            full_width(f"{area}-{local}"), f"({area}) {local[:4]}-{local[4:]}"]


def phone(rng: random.Random, canonical: str) -> str:
    """One written form of a canonical phone number (about half are written plainly)."""
    if rng.random() < 0.5:
        return canonical
    forms = _mobile_forms(canonical) if canonical[0] == "1" else _landline_forms(canonical)
    return rng.choice(forms)


def address(rng: random.Random, parts: tuple[str, ...]) -> str:
    """One written form of the address made of ``parts`` (canonical: joined, no spaces)."""
    r = rng.random()
    if r < 0.7:
        return "".join(parts)
    if r < 0.8:
        return " ".join(parts)
    if r < 0.88:
        return "".join(parts).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if r < 0.95:
        return "\u3000".join(parts[:2]) + "".join(parts[2:])
    return f" {''.join(parts)}  "


def email(rng: random.Random, canonical: str) -> str:
    """One written form of a lower-case e-mail address."""
    r = rng.random()
    if r < 0.75:
        return canonical
    local, domain = canonical.split("@")
    if r < 0.85:
        return local[:1].upper() + local[1:] + "@" + domain
    if r < 0.93:
        return canonical.upper()
    if r < 0.97:
        return f"{local}＠{domain}"
    return f" {canonical} "


def status(rng: random.Random, value: str) -> str:
    """An enterprise status, sometimes in the Chinese word registries use, empty for plain active."""
    if value == "active":
        return rng.choice(("", "", "active", "active", "存续", "在业"))
    chinese = {"revoked": "吊销", "cancelled": "注销", "suspended": "停业", "abnormal": "经营异常"}[value]
    return chinese if rng.random() < 0.25 else value


def boolean(rng: random.Random, value: bool) -> str:
    """A boolean cell, mostly ``true``/``false`` and sometimes ``1/0`` or ``是/否``."""
    r = rng.random()
    if r < 0.93:
        return "true" if value else "false"
    if r < 0.97:
        return "1" if value else "0"
    return "是" if value else "否"


def amount(rng: random.Random, value: float) -> str:
    """An amount in 万元 with at most two decimals, occasionally with thousands separators."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if value >= 1000 and rng.random() < 0.03:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text


def share_pct(rng: random.Random, text: str) -> str:
    """A share percentage, now and then with a ``%`` sign."""
    return text + "%" if rng.random() < 0.03 else text
