"""The Streamlit investigator dashboard."""
