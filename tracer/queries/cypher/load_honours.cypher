// Loader: MERGE red-list entries (Honour) by honour_id and link them to their subject (GRANTED_TO).
// Parameters: $rows — list of {honour_id, props: {honour, granted_by, granted_on, valid_until},
// subject_uscc, subject_id_type, subject_id_number}. Returns: written (row count).
UNWIND $rows AS row
MERGE (h:Honour {honour_id: row.honour_id})
SET h += row.props
WITH h, row
CALL (h, row) {
  MATCH (s:Enterprise {uscc: row.subject_uscc})
  MERGE (h)-[:GRANTED_TO]->(s)
}
CALL (h, row) {
  MATCH (s:Person {id_type: row.subject_id_type, id_number: row.subject_id_number})
  MERGE (h)-[:GRANTED_TO]->(s)
}
RETURN count(*) AS written
