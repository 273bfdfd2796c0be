// Loader: MERGE findings by finding_id and set the given properties. When the status is new or
// differs from the stored one, an append-only Transition "<finding_id>#<seq>" is recorded in the
// same transaction (seq 1 has no from_status). Links the subject (AGAINST) and, when authority is
// a department code, the deciding department (DECIDED_BY).
// Parameters: $rows — list of {finding_id, props: {subject_kind, subject_id, list_type, category,
// authority, basis, act_date, decided_on, effective_until, status}, subject_uscc,
// subject_id_type, subject_id_number, actor}. Returns: written (row count).
UNWIND $rows AS row
MERGE (f:Finding {finding_id: row.finding_id})
WITH f, row, f.status AS previous
SET f += row.props
WITH f, row, previous
CALL (f, row, previous) {
  WITH f, row, previous
  WHERE previous IS NULL OR previous <> row.props.status
  OPTIONAL MATCH (f)-[:HAS_TRANSITION]->(old:Transition)
  WITH f, row, previous, coalesce(max(old.seq), 0) + 1 AS seq
  MERGE (t:Transition {transition_id: row.finding_id + '#' + toString(seq)})
  SET t.finding_id = row.finding_id,
      t.seq = seq,
      t.from_status = previous,
      t.to_status = row.props.status,
      t.at = datetime(),
      t.actor = row.actor,
      t.reason = CASE WHEN previous IS NULL THEN 'first loaded' ELSE 'status changed by a loaded file' END
  MERGE (f)-[:HAS_TRANSITION]->(t)
}
CALL (f, row) {
  MATCH (s:Enterprise {uscc: row.subject_uscc})
  MERGE (f)-[:AGAINST]->(s)
}
CALL (f, row) {
  MATCH (s:Person {id_type: row.subject_id_type, id_number: row.subject_id_number})
  MERGE (f)-[:AGAINST]->(s)
}
CALL (f, row) {
  MATCH (d:Department {code: row.props.authority})
  MERGE (f)-[:DECIDED_BY]->(d)
}
RETURN count(*) AS written
