"""Jobs page (analyst and admin): run detection, risk and metrics with progress; recent runs."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.jobs_view import JOBS, detection_available, detector_names, run_job
from credgraph.dashboard.risk_view import risk_date
from credgraph.graph.access import allows
from credgraph.graph.errors import CredgraphError


def render() -> None:
    """The jobs page."""
    st.header("Jobs", anchor=False)
    if not allows(ui.role(), "run_jobs"):
        st.warning(f"Running jobs needs the analyst role; you are {ui.role()}.")
        return
    as_of = st.date_input("As of", value=risk_date(ui.store()) or dt.date.today(), key="jobs_as_of")
    offered = [j for j in JOBS if j != "detection" or detection_available()]
    chosen = st.multiselect("Jobs", offered, default=[j for j in offered if j != "metrics"], key="jobs_chosen")
    detectors = st.multiselect("Detectors", detector_names(), key="jobs_detectors", placeholder="all detectors") \
        if "detection" in chosen else []
    if not detection_available():
        st.caption("Detection is not available in this installation (credgraph.analytics.detection).")
    if st.button("Run", key="jobs_run", type="primary", disabled=not chosen):
        _run(chosen, as_of, detectors)
    for line in st.session_state.get("jobs_done", []):
        st.success(line)
    st.subheader("Recent runs", anchor=False)
    ui.table([{"run": r.run_id, "kind": r.kind, "started": r.started_at, "user": r.user,
               "as of": str(r.params.get("as_of", ""))} for r in ui.store().runs()[:20]], "no runs yet")


def _run(chosen: list[str], as_of: dt.date, detectors: list[str]) -> None:
    done: list[str] = []
    with st.status("Running jobs...", expanded=True) as status:
        bar = st.progress(0.0, text="starting")

        def progress(step: str, finished: int, total: int) -> None:
            bar.progress(min(1.0, finished / total) if total else 0.0, text=f"{step}: {finished} of {total}")

        for job in chosen:
            st.write(f"{job}...")
            try:
                result = run_job(ui.db_location(), job, ui.role(), ui.user(), as_of, detectors, progress)
            except CredgraphError as exc:
                status.update(label=f"{job} failed", state="error")
                st.error(ui.md(exc))
                return
            summary = ", ".join(f"{k}: {v}" for k, v in result.summary.items())
            done.append(f"{job} finished in {result.seconds:.1f} s (run {result.run_id}): {summary}")
            st.write(done[-1])
        status.update(label="Jobs finished", state="complete")
    st.session_state["jobs_done"] = done
    ui.refresh()
