// Loader: record dated name changes of persons (the current name stays on the Person).
// Parameters: $rows — list of {id_type, id_number, change_id, props: {name, former_name,
// changed_on}}; $recorded_at (DateTime, set when the change is first recorded).
// Returns: written (row count).
UNWIND $rows AS row
MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
MERGE (c:NameChange {change_id: row.change_id})
ON CREATE SET c += row.props, c.recorded_at = $recorded_at
MERGE (p)-[:NAME_CHANGED]->(c)
RETURN count(*) AS written
