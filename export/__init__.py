"""Regulator export packages: nodes/edges CSV, Excel, GraphML, GEXF, FollowTheMoney, BODS, HTML, manifest."""
