"""Findings browser: the latest detection run's findings by detector, evidence, network, export."""

from __future__ import annotations

import json

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.export_view import ExportRequest
from credgraph.dashboard.findings_view import detectors_in, finding_rows, shown_evidence
from credgraph.dashboard.subjects import shown_subjects
from credgraph.dashboard.views import export

FRAME_HEIGHT = 620


def render() -> None:
    """The findings page."""
    st.header("Findings", anchor=False)
    store = ui.store()
    runs = store.runs("detect")
    findings = store.findings()
    if not findings:
        st.info("No findings yet: an analyst runs detection on the Jobs page (or `credgraph detect`).")
        return
    st.caption(f"Detection run {runs[0].run_id if runs else ''}: {len(findings)} findings")
    detector = st.selectbox("Detector", ["all", *detectors_in(findings)], key="findings_detector")
    chosen = [f for f in findings if detector == "all" or f.detector == detector]
    ui.table(finding_rows(store, chosen, ui.role()))
    if detector != "all":
        export.render(ExportRequest("detector", detector), f"Export all {detector} findings")
    pick = st.selectbox("Finding", range(len(chosen)), key="findings_pick",
                        format_func=lambda i: f"{chosen[i].finding_id} ({chosen[i].detector}, {chosen[i].score:.2f})")
    finding = chosen[pick]
    st.subheader("Evidence", anchor=False)
    st.code(json.dumps(shown_evidence(store, dict(finding.evidence), ui.role()), ensure_ascii=False, indent=2,
                       default=str), language="json")
    st.iframe(ui.union_html(ui.db_location(), tuple(finding.subjects), 1, None, None, ui.role(), 30),
                    height=FRAME_HEIGHT)
    names = shown_subjects(store, list(finding.subjects), ui.role())
    subject = st.selectbox("Subject", list(finding.subjects), key="findings_subject", format_func=names.__getitem__)
    cols = st.columns(2)
    if cols[0].button("Open subject", key="findings_open"):
        ui.open_subject(subject)
        st.rerun()
    with cols[1]:
        export.render(ExportRequest("finding", finding.finding_id), "Export this finding")
