"""The dashboard's pages: thin Streamlit layouts over the logic in ``credgraph.dashboard``."""
