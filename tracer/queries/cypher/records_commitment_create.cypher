// Record a credit commitment (Commitment) given by a subject (GIVEN_BY, an enterprise or a
// person) to a department (RECEIVED_BY), at the server's time of record.
// Parameters: $commitment_id, $uscc (or null), $id_type and $id_number (or null), $department,
// $props ({matter, committed_on, due_on}), $recorded_at (DateTime), $recorded_by.
// Returns: commitment_id (no row when the subject or the department is unknown).
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS s
WHERE s IS NOT NULL
MATCH (d:Department {code: $department})
CREATE (c:Commitment {commitment_id: $commitment_id})
SET c += $props, c.recorded_at = $recorded_at, c.recorded_by = $recorded_by
CREATE (c)-[:GIVEN_BY]->(s), (c)-[:RECEIVED_BY]->(d)
RETURN c.commitment_id AS commitment_id
