"""Precision and recall of the detectors on generated data, against its truth.json.

The aims of issue 6: at least 0.95 precision and recall on the four crisp
detectors, 0.85 on shell_cluster and bid_rigging, and no decoy flagged; on
S with three seeds and on M with one, each loaded into the embedded store.
Generated folders and the loaded stores are shared with the parity tests
(``generated``, ``loaded_embedded``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from credgraph.analytics.detection import find_patterns
from credgraph.analytics.detectors.evaluation import Score, evaluate
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.loaders.load import load_folder
from credgraph.synthetic.generate import generate

AIMS = {"reregistration": 0.95, "bribery_association": 0.95, "guarantee_circle": 0.95,
        "circular_ownership": 0.95, "shell_cluster": 0.85, "bid_rigging": 0.85}
CASES = [("S", 1), ("S", 2), ("S", 3), ("M", 1)]


def generated(factory: pytest.TempPathFactory, size: str, seed: int) -> Path:
    """The generated folder of ``size`` and ``seed``, made once per test session."""
    folder = factory.getbasetemp() / f"generated-{size}{seed}"
    if not (folder / "truth.json").exists():
        generate(size=size, seed=seed, out=folder, progress=None)
    return folder


def loaded_embedded(factory: pytest.TempPathFactory, size: str, seed: int) -> Path:
    """An embedded store holding the generated folder of ``size`` and ``seed``, loaded once per session."""
    folder = generated(factory, size, seed)
    work = factory.getbasetemp() / f"embedded-{size}{seed}"
    done = work / "loaded"
    if not done.exists():
        work.mkdir(exist_ok=True)
        with SqliteStore(work / "store.db") as store:
            store.ensure_schema()
            load_folder(store, folder, report_dir=work / "report")
        done.touch()
    return work / "store.db"


def truth_date(folder: Path) -> tuple[dict, dt.date]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return truth, dt.date.fromisoformat(truth["meta"]["as_of"])


@pytest.fixture(scope="module", params=CASES, ids=[f"{s}{n}" for s, n in CASES])
def scores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    size, seed = request.param
    folder = generated(tmp_path_factory, size, seed)
    truth, as_of = truth_date(folder)
    with SqliteStore(loaded_embedded(tmp_path_factory, size, seed), create=False) as store:
        findings, _ = find_patterns(store, as_of=as_of)
    return evaluate(findings, truth)


@pytest.mark.parametrize("detector", list(AIMS))
def test_precision_meets_the_aim(scores: dict[str, Score], detector: str) -> None:
    assert scores[detector].precision >= AIMS[detector], scores[detector].as_dict()


@pytest.mark.parametrize("detector", list(AIMS))
def test_recall_meets_the_aim(scores: dict[str, Score], detector: str) -> None:
    assert scores[detector].recall >= AIMS[detector], scores[detector].as_dict()


@pytest.mark.parametrize("detector", list(AIMS))
def test_no_decoy_is_flagged(scores: dict[str, Score], detector: str) -> None:
    assert scores[detector].decoys > 0
    assert scores[detector].decoys_flagged == []
