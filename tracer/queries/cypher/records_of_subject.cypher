// A subject's credit commitments and interviews (newest first), each with its department.
// Parameters: $uscc (or null), $id_type and $id_number (or null), $limit (max per kind).
// Returns: kind (COMMITMENT or INTERVIEW), record (properties), department; no row for a subject
// without any (or unknown).
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS s
WHERE s IS NOT NULL
CALL (s) {
  MATCH (c:Commitment)-[:GIVEN_BY]->(s)
  MATCH (c)-[:RECEIVED_BY]->(d:Department)
  WITH c, d ORDER BY c.committed_on DESC, c.commitment_id LIMIT $limit
  RETURN 'COMMITMENT' AS kind, c {.*} AS record, d {.code, .name} AS department
  UNION ALL
  MATCH (i:Interview)-[:OF]->(s)
  MATCH (i)-[:HELD_BY]->(d:Department)
  WITH i, d ORDER BY i.held_on DESC, i.interview_id LIMIT $limit
  RETURN 'INTERVIEW' AS kind, i {.*} AS record, d {.code, .name} AS department
}
RETURN kind, record, department
