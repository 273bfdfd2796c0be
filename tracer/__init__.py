"""Liability Tracer: joint-punishment liabilities traced from enterprises to people, on Neo4j."""
