// Write findings with their new transitions and stored status lines (computed by
// tracer.queries.lifecycle.record_findings): MERGE by finding_id, set the given properties, create
// the transitions "<finding_id>#<seq>" (MERGE: a retried batch creates nothing twice), link the
// subject (AGAINST) and, when authority is a department code, the deciding department.
// Parameters: $rows — list of {finding_id, props, transitions: [Transition properties],
// subject_uscc, subject_id_type, subject_id_number}. Returns: written (row count).
UNWIND $rows AS row
MERGE (f:Finding {finding_id: row.finding_id})
SET f += row.props
WITH f, row
CALL (f, row) {
  UNWIND row.transitions AS item
  MERGE (t:Transition {transition_id: item.transition_id})
  ON CREATE SET t = item
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
