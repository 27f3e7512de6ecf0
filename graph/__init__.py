"""The credgraph graph model and its two stores (embedded SQLite and Neo4j)."""
