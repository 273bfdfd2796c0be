// Loader: record dated name changes of enterprises (the current name stays on the Enterprise).
// Parameters: $rows — list of {uscc, change_id, props: {name, former_name, changed_on}};
// $recorded_at (DateTime, set when the change is first recorded). Returns: written (row count).
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (c:NameChange {change_id: row.change_id})
ON CREATE SET c += row.props, c.recorded_at = $recorded_at
MERGE (e)-[:NAME_CHANGED]->(c)
RETURN count(*) AS written
