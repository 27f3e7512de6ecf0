"""Deployment files: the local Neo4j assembly (Maven) and docker-compose."""
