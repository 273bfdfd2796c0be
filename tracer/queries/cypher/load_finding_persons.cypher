// Loader: a finding NAMES a person with a capacity (DIRECTLY_RESPONSIBLE, ACTUAL_CONTROLLER).
// Parameters: $rows — list of {finding_id, id_type, id_number, capacity}.
// Returns: written (rows whose finding and person exist).
UNWIND $rows AS row
MATCH (f:Finding {finding_id: row.finding_id})
MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
MERGE (f)-[:NAMES {capacity: row.capacity}]->(p)
RETURN count(*) AS written
