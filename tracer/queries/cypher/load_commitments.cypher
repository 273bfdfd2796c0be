// Loader: MERGE credit commitments (Commitment) by commitment_id, given by their subject
// (GIVEN_BY, an enterprise or a person) and received by a department (RECEIVED_BY); a row given
// again moves the edges to the subject and department it names. Given dates are set, absent
// ones never erase stored ones.
// Parameters: $rows — list of {commitment_id, department, subject_uscc, subject_id_type,
// subject_id_number, props: {matter, committed_on, due_on, fulfilled_on, breached_on}},
// $recorded_at (DateTime, first record only). Returns: written (rows whose subject and
// department exist).
UNWIND $rows AS row
CALL (row) {
  OPTIONAL MATCH (e:Enterprise {uscc: row.subject_uscc})
  OPTIONAL MATCH (p:Person {id_type: row.subject_id_type, id_number: row.subject_id_number})
  RETURN coalesce(e, p) AS s
}
MATCH (d:Department {code: row.department})
WITH row, s, d WHERE s IS NOT NULL
MERGE (c:Commitment {commitment_id: row.commitment_id})
ON CREATE SET c.recorded_at = $recorded_at
SET c += row.props
MERGE (c)-[:GIVEN_BY]->(s)
MERGE (c)-[:RECEIVED_BY]->(d)
WITH c, s, d
CALL (c, s, d) {
  MATCH (c)-[old:GIVEN_BY|RECEIVED_BY]->(other)
  WHERE other <> s AND other <> d
  DELETE old
}
RETURN count(*) AS written
