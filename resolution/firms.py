"""Candidates for the mentions of firms and agencies.

Firms, strongest evidence first:

* a USCC in the store: ``exact``; a USCC not in the store names a firm the
  store does not hold, so the mention stays unresolved (never a name match);
* an organisation code: the firm whose USCC carries it at positions 9-17,
  ``derived`` (a code no known USCC carries: unresolved);
* a registration number the registry (or a published row beside a USCC) ties to
  a USCC: ``derived``; an unknown one falls back to the name, but never to a
  firm whose known registration number differs;
* the normalised name (``credgraph.resolution.names``): same core, legal form
  and branch. A region in the mention's name must agree with the candidate's;
  a region the row gives otherwise (the province of a court list, the division
  of a tender) and being registered on the record's date only prefer. One
  candidate left: ``strong``; none with the whole key but some with the same
  core under another legal form: ``probable`` at most.

Agencies: the cleaned full name, else the name key with the row's region
preferred.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from credgraph.resolution.grading import CANDIDATE_COLUMNS, empty_candidates
from credgraph.resolution.names import clean_text, parse_firm_name
from credgraph.resolution.regions import compatible
from credgraph.resolution.settings import ResolutionSettings
from credgraph.resolution.tables import Registry, among, columns, firm_name_columns

KEY_RULES = {
    "uscc": ("exact", "the USCC is in the store"),
    "org_code": ("derived", "the organisation code is the one inside one known USCC"),
    "reg_no": ("derived", "the registry ties the registration number to one USCC"),
}


def _regions_agree(hints: tuple[str, ...], regions: tuple[str, ...], region_code: Any) -> bool:
    """Whether every region named in the mention's name is compatible with one of the candidate's."""
    own = [*regions, *([region_code] if isinstance(region_code, str) and region_code else [])]
    if not hints or not own:
        return True
    return all(any(compatible(h, r) for r in own) for h in hints)


def _soft(hint: Any, region_code: Any, regions: tuple[str, ...]) -> bool:
    if not isinstance(hint, str) or not hint:
        return False
    own = [*regions, *([region_code] if isinstance(region_code, str) and region_code else [])]
    return any(compatible(hint, r) for r in own)


def _key_candidates(m: pd.DataFrame, reg: Registry, s: ResolutionSettings) -> tuple[pd.DataFrame, set[str]]:
    """Candidates by identifier, and the mentions whose identifier matched nothing."""
    parts = []
    missed: set[str] = set()
    firms = reg.firms[["uscc", "name", "key"]]
    by_code = reg.firms[["uscc", "name", "key", "org_code"]].rename(columns={"org_code": "id_value"})
    for kind, index in (("uscc", firms.assign(id_value=firms["uscc"])), ("org_code", by_code),
                        ("reg_no", reg.reg_nos.rename(columns={"reg_no": "id_value"}).merge(firms, on="uscc"))):
        ask = m[m["id_kind"] == kind][["mention_id", "id_value", "name"]].rename(columns={"name": "m_name"})
        hit = ask.merge(index[["id_value", "uscc", "name", "key"]], on="id_value")
        missed |= set(ask["mention_id"].tolist()) - set(hit["mention_id"].tolist())
        if hit.empty:
            continue
        grade, rule = KEY_RULES[kind]
        same = [not a or a == name or parse_firm_name(a).key == key
                for a, name, key in columns(hit, "m_name", "name", "key")]
        logit = [s.weight(kind) + (s.weight("firm_name") if ok else 0.0) for ok in same]
        parts.append(pd.DataFrame({
            "mention_id": hit["mention_id"], "subject_id": hit["uscc"], "label": "Enterprise",
            "grade_if_unique": grade, "preferred": False, "logit": logit, "rule": rule,
            "features": [{kind: v, "name": "agrees" if ok else f"the registry name is {n}"}
                         for (v, n), ok in zip(columns(hit, "id_value", "name"), same)],
        }))
    return (pd.concat(parts, ignore_index=True) if parts else empty_candidates()), missed


def _name_candidates(m: pd.DataFrame, reg: Registry, s: ResolutionSettings) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Candidates by normalised name, and why mentions got none."""
    if m.empty:
        return empty_candidates(), {}
    parsed = firm_name_columns(m["name"].tolist())
    ask = pd.DataFrame({"mention_id": m["mention_id"].to_numpy(), "key": parsed["key"], "core": parsed["core"],
                        "branch": parsed["branch"], "hints": parsed["regions"],
                        "hint": m["region_code"].to_numpy(), "on": m["on"].to_numpy(),
                        "m_reg_no": m["id_value"].where(m["id_kind"] == "reg_no").to_numpy()})
    ask = ask[ask["core"] != ""]
    firms = reg.firms[["uscc", "name", "key", "core", "regions", "region_code", "reg_no", "reg_date", "end_date"]]
    full = ask.merge(firms.drop(columns=["core"]), on="key")
    # Another legal form of the same trade name, never a branch for its parent or the other way round.
    branches = reg.firms[["uscc", "name", "core", "branch", "regions", "region_code", "reg_no", "reg_date", "end_date"]]
    loose = ask[~among(ask["mention_id"], full["mention_id"].tolist())].merge(branches, on=["core", "branch"])
    notes: dict[str, dict[str, Any]] = {}
    parts = []
    for hit, whole in ((full, True), (loose, False)):
        if hit.empty:
            continue
        agree = [_regions_agree(h, r, c) for h, r, c in columns(hit, "hints", "regions", "region_code")]
        born = [not (isinstance(on, str) and isinstance(reg_d, str) and reg_d > on)
                for on, reg_d in columns(hit, "on", "reg_date")]
        other_reg = [isinstance(a, str) and isinstance(b, str) and a != b
                     for a, b in columns(hit, "m_reg_no", "reg_no")]
        keep = pd.Series(agree, index=hit.index) & pd.Series(born, index=hit.index) & ~pd.Series(other_reg, index=hit.index)
        dropped = hit[~among(hit["mention_id"], hit.loc[keep, "mention_id"].tolist())].drop_duplicates("mention_id")
        for mid, key in columns(dropped, "mention_id", "key"):
            notes[mid] = {"name_key": key, "why": "firms of this name are in another region, registered later, "
                                                  "or carry another registration number"}
        hit = hit[keep]
        if hit.empty:
            continue
        soft = [_soft(h, c, r) for h, c, r in columns(hit, "hint", "region_code", "regions")]
        same = [tuple(h) == tuple(r) for h, r in columns(hit, "hints", "regions")]
        preferred = [2 * a + b for a, b in zip(same, soft)]
        alive = [not (isinstance(on, str) and isinstance(end, str) and end <= on)
                 for on, end in columns(hit, "on", "end_date")]
        logit = (s.weight("firm_name") if whole else s.weight("firm_core_only")) \
            + s.weight("region_in_name") * pd.Series([bool(h) for h in hit["hints"]], index=hit.index) \
            + s.weight("region_hint") * pd.Series(soft, index=hit.index) \
            + s.weight("alive_on_date") * pd.Series(alive, index=hit.index)
        parts.append(pd.DataFrame({
            "mention_id": hit["mention_id"], "subject_id": hit["uscc"], "label": "Enterprise",
            "grade_if_unique": "strong" if whole else "probable", "preferred": preferred, "logit": logit,
            "rule": "the normalised name singles out one firm in its region" if whole
            else "the same trade name under another legal form",
            "features": [{"name_key": k, "registry_name": n, "regions_in_name": list(h), "same_region_prefix": sm,
                          **({"region_hint": hint, "hint_agrees": sf} if isinstance(hint, str) and hint else {})}
                         for (k, n, h, hint), sf, sm in zip(columns(hit, "key", "name", "hints", "hint"), soft, same)],
        }))
    for mid, key in columns(ask, "mention_id", "key"):
        notes.setdefault(mid, {"name_key": key, "why": "no firm of this name in the store"})
    return (pd.concat(parts, ignore_index=True)[CANDIDATE_COLUMNS] if parts else empty_candidates()), notes


def firm_candidates(m: pd.DataFrame, reg: Registry, s: ResolutionSettings) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Candidate rows for firm mentions, and the evidence of those that get none."""
    keyed, missed = _key_candidates(m, reg, s)
    notes: dict[str, dict[str, Any]] = {}
    for mid, kind, value in columns(m, "mention_id", "id_kind", "id_value"):
        if mid in missed and kind in ("uscc", "org_code"):
            notes[mid] = {kind: value, "why": f"no firm in the store has this {kind.replace('_', ' ')}; "
                                              "the name is not used against an identifier"}
    by_key = set(keyed["mention_id"].tolist()) | {mid for mid in missed if mid in notes}
    rest = m[~among(m["mention_id"], by_key)]
    named, name_notes = _name_candidates(rest, reg, s)
    found = set(named["mention_id"].tolist())
    notes.update({k: v for k, v in name_notes.items() if k not in found})
    return pd.concat([keyed, named], ignore_index=True), notes


def agency_candidates(m: pd.DataFrame, reg: Registry, s: ResolutionSettings) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Candidate rows for agency mentions (procurers), and the evidence of those that get none."""
    agencies = reg.agencies
    ask = pd.DataFrame({"mention_id": m["mention_id"].to_numpy(), "full": [clean_text(n or "") for n in m["name"]],
                        "key": [parse_firm_name(n or "").key for n in m["name"]],
                        "hint": m["region_code"].to_numpy()}).astype(object)
    exact = ask.merge(agencies[["agency_id", "full", "region_code", "name"]], on="full")
    by_key = ask[~among(ask["mention_id"], exact["mention_id"].tolist())].merge(
        agencies[["agency_id", "key", "region_code", "name"]], on="key")
    parts = []
    for hit, rule in ((exact, "the agency's full name"), (by_key, "the agency's name without its region, unique in the row's region")):
        if hit.empty:
            continue
        soft = [_soft(h, c, ()) for h, c in columns(hit, "hint", "region_code")]
        parts.append(pd.DataFrame({
            "mention_id": hit["mention_id"], "subject_id": hit["agency_id"], "label": "Agency",
            "grade_if_unique": "strong", "preferred": soft,
            "logit": s.weight("firm_name") + s.weight("region_hint") * pd.Series(soft, index=hit.index),
            "rule": rule, "features": [{"registry_name": n} for n in hit["name"]],
        }))
    found = pd.concat(parts, ignore_index=True) if parts else empty_candidates()
    have = set(found["mention_id"].tolist())
    notes = {mid: {"name": full, "why": "no agency of this name in the store"}
             for mid, full in columns(ask, "mention_id", "full") if mid not in have}
    return found, notes
