"""The credgraph command line."""
