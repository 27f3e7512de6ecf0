"""How long a subject page (profile + depth-2 network) takes to open in the dashboard, on M data.

    python benchmarks/dashboard_open.py                  # generate M (seed 7), load, analyse, measure
    python benchmarks/dashboard_open.py --db m7.db       # measure an already loaded and analysed store

For a random sample of firms and persons it times:

- **page, cold**: a full Streamlit run of the Subject page (``AppTest``: profile,
  beneficial owners, findings, the depth-2 network drawn by the network component) for a subject
  not opened before; the store is already open (``st.cache_resource``);
- **page, warm**: the same page again (``st.cache_data`` hits);
- **logic**: ``load_profile`` + ``explorer_subgraph`` (depth 2) + ``network_drawing``
  without Streamlit;
- once, the in-memory risk model behind the "Explain the score" button, and one
  explanation per subject with it.

Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
CREDGRAPH = [sys.executable, "-c", "from credgraph.cli.app import entry_point; entry_point()"]


def prepare(work: Path, size: str, seed: int) -> Path:
    """Generate, load and analyse a data set; return the store path."""
    from credgraph.analytics.jobs import run_all_analyses
    from credgraph.graph.store import open_store

    data, db = work / f"{size}{seed}", work / f"{size}{seed}.db"
    t0 = time.perf_counter()
    subprocess.run([*CREDGRAPH, "generate", "--size", size, "--seed", str(seed), "--out", str(data)], check=True,
                   capture_output=True)
    t1 = time.perf_counter()
    subprocess.run([*CREDGRAPH, "load", str(data), "--db", str(db), "--report-dir", str(work / "report")],
                   check=True, capture_output=True)
    t2 = time.perf_counter()
    with open_store(str(db)) as store:
        run_all_analyses(store, dt.date(2024, 6, 30), user="benchmark")
    print(f"generate {t1 - t0:.1f} s, load {t2 - t1:.1f} s, risk + metrics {time.perf_counter() - t2:.1f} s")
    return db


def sample(db: Path, firms: int, persons: int, seed: int) -> list[str]:
    """A seeded random sample of firm and person keys."""
    from credgraph.graph.store import open_store

    with open_store(str(db)) as store:
        keys = {label: [n.key for n in store.iter_nodes([label])] for label in ("Enterprise", "Person")}
    rng = random.Random(seed)
    return rng.sample(keys["Enterprise"], firms) + rng.sample(keys["Person"], persons)


def open_page(key: str) -> float:
    """Seconds for one Streamlit run of the Subject page of ``key``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in {"user": "benchmark", "role": "investigator", "goto": "Subject", "subject": key}.items():
        at.session_state[name] = value
    t0 = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t0
    if at.exception or not at.get("component_instance"):
        raise RuntimeError(f"the page of {key} failed: {at.exception}")
    return seconds


def logic(db: Path, keys: list[str], as_of: dt.date) -> list[float]:
    """Seconds of the page's library calls per subject, without Streamlit."""
    from credgraph.dashboard.explorer import explorer_subgraph
    from credgraph.dashboard.network_html import network_drawing
    from credgraph.dashboard.subjects import load_profile
    from credgraph.graph.store import open_store

    times = []
    with open_store(str(db)) as store:
        for key in keys:
            t0 = time.perf_counter()
            load_profile(store, key, "investigator", as_of)
            network_drawing(explorer_subgraph(store, key, 2, as_of=as_of), role="investigator", focus=key)
            times.append(time.perf_counter() - t0)
    return times


def explain(db: Path, keys: list[str], as_of: dt.date) -> tuple[float, list[float]]:
    """Seconds to build the risk model once, and per explanation."""
    from credgraph.dashboard.risk_view import explanation, node_names, risk_model
    from credgraph.graph.store import open_store

    with open_store(str(db)) as store:
        t0 = time.perf_counter()
        model = risk_model(store, as_of)
        build = time.perf_counter() - t0
        times = []
        for key in keys:
            t1 = time.perf_counter()
            try:
                explanation(model, key, "investigator", node_names(store))
            except Exception:  # a subject not in force on the date has no score to explain
                continue
            times.append(time.perf_counter() - t1)
    return build, times


def summary(name: str, times: list[float]) -> None:
    """Print median, 90th percentile and maximum."""
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    print(f"{name:<28} n={len(times):<3} median {statistics.median(times):.3f} s   p90 {p90:.3f} s   "
          f"max {ordered[-1]:.3f} s")


def main() -> None:
    """Parse options, prepare the store if needed, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an already loaded and analysed store")
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--firms", type=int, default=20)
    parser.add_argument("--persons", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="also time the risk explanation")
    args = parser.parse_args()
    db = args.db or prepare(Path(tempfile.mkdtemp(prefix="credgraph-dashboard-")), args.size, args.seed)
    os.environ["CREDGRAPH_DB"] = str(db)
    from credgraph.dashboard.risk_view import risk_date
    from credgraph.graph.model import MODEL
    from credgraph.graph.store import open_store

    with open_store(str(db)) as store:
        as_of = risk_date(store) or dt.date.today()
        counts = store.counts()
    nodes = sum(counts[label] for label in MODEL.nodes)
    print(f"store {db}: {nodes:,} nodes, {sum(counts.values()) - nodes:,} relationships; as of {as_of}")
    keys = sample(db, args.firms, args.persons, args.seed)
    open_page(keys[0])  # opens the store once (st.cache_resource) and imports everything
    cold = [open_page(key) for key in keys[1:]]
    warm = [open_page(key) for key in keys[1:]]
    summary("subject page, cold", cold)
    summary("subject page, warm", warm)
    summary("logic only (no Streamlit)", logic(db, keys[1:], as_of))
    if args.explain:
        build, times = explain(db, keys[1:], as_of)
        print(f"risk model for explanations: {build:.1f} s once per store and date")
        summary("one explanation", times)


if __name__ == "__main__":
    main()
