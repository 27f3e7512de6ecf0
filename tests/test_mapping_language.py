"""The mapping language: the docs' worked example, mistakes refused by name, hostile cells accounted for.

The worked example (``loaders/published/examples/bid_opening.toml``, and the ```toml block under
the "Worked example" heading of docs/published.md) must load a bid opening file whose bids reach
their firms. Hypothesis fills every column of every built-in format with hostile text (control
characters, formulas, HTML, huge strings, bad dates and amounts): a row is loaded or rejected with
a reason, the counts add up, never a traceback.
"""

from __future__ import annotations

import dataclasses
import re
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credgraph.graph.errors import ConfigError
from credgraph.graph.store import GraphStore
from credgraph.loaders.published.load import prepare_published
from credgraph.loaders.published.mapping import BUILTINS, builtin_mapping, parse_mapping, read_mapping
from credgraph.loaders.report import EXIT_OK, EXIT_SOME_REJECTED, FileReport, Reject
from credgraph.loaders.tables import RawTable, Table
from tests.published_world import (
    HEADERS, HENGDA, HUAXIN, cli, db, link_of, load_registry, load_source, mention_at, published, rejects, report_json,
)

__all__ = ["db"]
EXAMPLE = Path(str(files("credgraph.loaders.published").joinpath("examples/bid_opening.toml")))
DOC = Path(__file__).resolve().parents[1] / "docs" / "published.md"


def _doc_block() -> str | None:
    """The ```toml block under the docs' worked example heading, if the page has one yet."""
    if not DOC.is_file():
        return None
    text = DOC.read_text(encoding="utf-8")
    heading = re.search(r"^#+ .*worked example.*$", text, re.IGNORECASE | re.MULTILINE)
    if heading is None:
        return None
    block = re.search(r"```toml\n(.*?)```", text[heading.end():], re.DOTALL)
    return block.group(1) if block else None


def _award_and_bids(store: GraphStore, tmp_path: Path, mapping_path: Path) -> None:
    load_registry(store, tmp_path)
    award = [{"项目编号": "GZ2023-0117", "项目名称": "天河区道路维修工程", "采购人": "广州市政府采购中心",
              "中标供应商名称": "广州恒达市政工程有限责任公司", "中标金额（万元）": "385.5", "公告日期": "2023-03-20"}]
    load_source(store, published(tmp_path / "a", "procurement_award", award), "procurement_award", tmp_path)
    bids = [{"项目编号": "GZ2023-0117", "项目名称": "天河区道路维修工程", "投标人名称": "广州市华信贸易有限公司",
             "投标报价（万元）": "392", "开标日期": "2023年03月15日"},
            {"项目编号": "GZ2023-0117", "项目名称": "天河区道路维修工程", "投标人名称": "广州恒达市政工程有限公司",
             "投标人统一社会信用代码": HENGDA, "投标报价（万元）": "385.5", "开标日期": "2023/3/15"}]
    report, _ = load_source(store, published(tmp_path / "b", "bid_opening", bids), read_mapping(mapping_path), tmp_path)
    assert report.exit_code == EXIT_OK, report.rejects


def test_the_worked_example_loads_bids_that_reach_their_firms(store: GraphStore, tmp_path: Path) -> None:
    _award_and_bids(store, tmp_path, EXAMPLE)
    assert link_of(store, mention_at(store, 2, "supplier", "bid_opening")) == (HUAXIN, "strong")
    assert link_of(store, mention_at(store, 3, "supplier", "bid_opening")) == (HENGDA, "exact")
    bids = {(r.src, r.dst, r.props["won"], r.props.get("amount")) for r in store.iter_relationships(["BID_ON"])}
    assert {(HUAXIN, "GZ2023-0117", False, 392.0), (HENGDA, "GZ2023-0117", True, 385.5)} <= bids
    assert {src for src, *_ in bids} == {HUAXIN, HENGDA}


def test_bids_wait_for_their_project_and_are_made_by_the_next_resolve(sqlite_store: GraphStore, tmp_path: Path) -> None:
    load_registry(sqlite_store, tmp_path)
    bids = [{"项目编号": "GZ-9", "投标人名称": "广州市华信贸易有限公司", "开标日期": "2023-03-15"}]
    load_source(sqlite_store, published(tmp_path / "b", "bid_opening", bids), read_mapping(EXAMPLE), tmp_path)
    assert not list(sqlite_store.iter_relationships(["BID_ON"]))
    award = [{"项目编号": "GZ-9", "项目名称": "工程", "采购人": "广州市政府采购中心", "中标供应商名称": "广州恒达市政工程有限责任公司"}]
    load_source(sqlite_store, published(tmp_path / "a", "procurement_award", award), "procurement_award", tmp_path)
    assert (HUAXIN, "GZ-9") in {(r.src, r.dst) for r in sqlite_store.iter_relationships(["BID_ON"])}


def test_the_docs_worked_example_is_the_shipped_example(tmp_path: Path) -> None:
    block = _doc_block()
    if block is None:
        pytest.skip("docs/published.md has no worked example block yet")
    from_doc = parse_mapping(block, "docs")
    shipped = read_mapping(EXAMPLE)
    assert dataclasses.replace(from_doc, path="") == dataclasses.replace(shipped, path="")


def test_the_docs_worked_example_written_to_a_file_loads_bids(sqlite_store: GraphStore, tmp_path: Path) -> None:
    block = _doc_block()
    if block is None:
        pytest.skip("docs/published.md has no worked example block yet")
    path = tmp_path / "bid_opening.toml"
    path.write_text(block, encoding="utf-8")
    _award_and_bids(sqlite_store, tmp_path, path)
    assert (HUAXIN, "GZ2023-0117") in {(r.src, r.dst) for r in sqlite_store.iter_relationships(["BID_ON"])}


def test_the_cli_loads_a_file_through_a_mapping(sqlite_store: GraphStore, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"项目编号": "GZ-1", "投标人名称": "某公司", "投标报价（万元）": "abc"}]
    path = published(tmp_path, "bid_opening", rows)
    code = cli("load", str(path), "--mapping", str(EXAMPLE), "--db", sqlite_store.location,
               "--report-dir", str(tmp_path / "r"))
    assert code == 2
    assert [r["column"] for r in rejects(tmp_path / "r")] == ["投标报价（万元）"]
    assert report_json(tmp_path / "r")["totals"] == {"read": 1, "loaded": 0, "rejected": 1}


@pytest.mark.parametrize("name", BUILTINS)
def test_mapping_show_prints_a_builtin_that_reads_back_the_same(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("mapping", "show", name) == 0
    assert parse_mapping(capsys.readouterr().out, "shown") == dataclasses.replace(builtin_mapping(name), path="shown")


@pytest.mark.parametrize("name", BUILTINS)
def test_each_builtin_reads_the_contract_columns(name: str) -> None:
    assert builtin_mapping(name).reads() <= set(HEADERS[name])
    assert builtin_mapping(name).header_problems(HEADERS[name]) == []


@pytest.mark.parametrize("text, names", [
    ("[source]\nname = 'x'\nkey = ['a']\n", "nothing to load"),
    ("[source]\nname = 'x'\nkey = ['a']\n[mentions.m]\nname = 'a'\nsubject = 'robot'\n", "mentions.m.subject"),
    ("[source]\nname = 'x'\nkey = ['a']\n[mentions.m]\nname = 'a'\n[[relations]]\ntype = 'LIKES'\nfrom = 'm'\nto = 'm'\n",
     "relations[0].type"),
    ("[source]\nname = 'x'\nkey = ['a']\n[mentions.m]\nname = 'a'\nof = 'boss'\n", "mentions.m.of"),
    ("[source]\nname = 'x'\nkey = ['a']\n[records.r]\nlabel = 'Penalty'\nid = '{a}'\n"
     "[records.r.properties]\nkind = { column = 'a', keywords = 'nope' }\n", "keyword table 'nope'"),
    ("[source\nname = 'x'", "not valid TOML"),
    ("[source]\nkey = ['a']\n[mentions.m]\nname = 'a'\n", "source.name"),
    ("[source]\nname = 'court:gz/2024'\nkey = ['a']\n[mentions.m]\nname = 'a'\n", "only letters, digits and _"),
], ids=["empty", "subject", "relation-type", "of", "keywords", "toml", "name", "name-charset"])
def test_a_mapping_mistake_is_refused_naming_the_field(text: str, names: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(names)):
        parse_mapping(text, "mine.toml")


def test_a_bad_mapping_file_is_one_line_on_the_command_line(sqlite_store: GraphStore, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[source]\nname = 'x'\nkey = ['a']\n", encoding="utf-8")
    path = published(tmp_path, "bid_opening", [{"项目编号": "1", "投标人名称": "x"}])
    code = cli("load", str(path), "--mapping", str(bad), "--db", sqlite_store.location)
    assert code not in (EXIT_OK, EXIT_SOME_REJECTED)
    err = capsys.readouterr().err
    assert "bad.toml" in err and "Traceback" not in err


# -- hostile values -----------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(["=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-1", "@x", "<script>alert(1)</script>", "\x00\x01\x1b[31m",
                     "2019-02-30", "2019/13/1", "20191301", "0000年00月00日", "1e309", "NaN", "-5", "１２３", "51%%",
                     "∞", "非公示项", "4401**********123X", "*" * 18, "‮", "\u200b", "', \"; DROP TABLE x;--",
                     "{案号}", "{", "}", "|", "\\", "\r\n", "9" * 400]),
    st.just("长" * 100_000),
)


@pytest.mark.parametrize("name", BUILTINS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_cells_in_every_column_are_loaded_or_rejected_with_a_reason(name: str, data: st.DataObject) -> None:
    mapping = builtin_mapping(name)
    header = HEADERS[name]
    rows = [(line, [data.draw(HOSTILE, label=f"{line}:{c}") for c in header]) for line in range(2, 5)]
    report, rejected = FileReport(name, f"{name}.csv"), []
    kept = prepare_published(RawTable(Table(f"{name}.csv", Path(f"{name}.csv")), header, rows), mapping, report,
                             rejected)
    assert report.read == 3 and report.loaded + report.rejected == report.read
    assert report.loaded == sum(len(r.lines) for r in kept)
    lines = {r.line for r in rejected}
    assert len(lines) == report.rejected and all(isinstance(r, Reject) and r.reason for r in rejected)
    assert lines.isdisjoint({ln for r in kept for ln in r.lines})


def test_a_hostile_file_of_each_format_loads_without_a_traceback(store: GraphStore, db: str, tmp_path: Path) -> None:
    nasty = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "\x07\x1b[31m红\x00", "2019-02-30", "一百万", "长" * 5000]
    for name in BUILTINS:
        header = HEADERS[name]
        rows = [{c: nasty[(i + j) % len(nasty)] for j, c in enumerate(header)} for i in range(len(nasty))]
        path = published(tmp_path / name, name, rows)
        code = cli("load", str(path), "--source", name, "--db", db, "--report-dir", str(tmp_path / "r" / name))
        totals = report_json(tmp_path / "r" / name)["totals"]
        assert code in (EXIT_OK, EXIT_SOME_REJECTED, 2), name
        assert totals["read"] == len(rows) == totals["loaded"] + totals["rejected"], name
        assert len({r["line"] for r in rejects(tmp_path / "r" / name)}) == totals["rejected"], name
    kept = store.counts()["SourceRecord"]
    assert kept == sum(report_json(tmp_path / "r" / n)["totals"]["loaded"] for n in BUILTINS)
