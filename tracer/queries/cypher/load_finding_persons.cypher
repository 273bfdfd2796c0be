// Loader: a finding NAMES a person with a capacity (DIRECTLY_RESPONSIBLE, ACTUAL_CONTROLLER,
// EXIT_RESTRICTED, RESTRICTED_OFFICER, CO_LISTED), from effective_on (absent: the decision);
// recorded at $recorded_at the first time it is loaded.
// Parameters: $rows — list of {finding_id, id_type, id_number, capacity, effective_on},
// $recorded_at (DateTime). Returns: written (rows whose finding and person exist).
UNWIND $rows AS row
MATCH (f:Finding {finding_id: row.finding_id})
MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
MERGE (f)-[n:NAMES {capacity: row.capacity}]->(p)
ON CREATE SET n.recorded_at = $recorded_at
SET n.effective_on = coalesce(row.effective_on, n.effective_on)
RETURN count(*) AS written
