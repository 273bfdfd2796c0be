"""The database: settings, the driver, the schema and the bundled local Neo4j."""
