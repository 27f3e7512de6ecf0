"""The export action on the subject, findings and cluster pages (investigator and up)."""

from __future__ import annotations

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.export_view import ExportRequest, export_available, export_zip
from credgraph.graph.access import allows
from credgraph.graph.errors import CredgraphError


def render(request: ExportRequest, label: str) -> None:
    """A button that builds the package of ``request``, then a download button for its zip."""
    if not allows(ui.role(), "export"):
        st.caption(f"Exports need the investigator role or above; you are {ui.role()}.")
        return
    if not export_available():
        st.caption("Export packages are not available in this installation (credgraph.export.package).")
        return
    slot = f"export:{request.kind}:{request.target}"
    if st.button(label, key=f"export_button_{request.kind}"):
        try:
            with st.spinner("Building the package..."), ui.WRITE_LOCK:
                st.session_state[slot] = export_zip(ui.store(), request, ui.role(), ui.user())
        except CredgraphError as exc:
            st.error(ui.md(exc))
            return
    download = st.session_state.get(slot)
    if download is not None:
        st.download_button(f"Download {download.file_name}", download.data, file_name=download.file_name,
                           mime="application/zip", key=f"export_download_{request.kind}")
        st.caption(f"{len(download.files)} files in the package")


def render_subject(key: str) -> None:
    """Export the subject's neighbourhood."""
    depth = st.selectbox("Depth of the exported network", (1, 2, 3), index=1, key="export_depth")
    render(ExportRequest("subject", key, depth=depth), "Export this subject's network")
