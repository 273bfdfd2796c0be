// Loader: MERGE interviews (Interview, 提示约谈/警示约谈) by interview_id, of their subject (OF, an
// enterprise or a person) and held by a department (HELD_BY); a row given again moves the edges
// to the subject and department it names. Given dates are set, absent ones never erase stored
// ones.
// Parameters: $rows — list of {interview_id, department, subject_uscc, subject_id_type,
// subject_id_number, props: {kind, held_on, rectify_by, rectified_on}}, $recorded_at (DateTime,
// first record only). Returns: written (rows whose subject and department exist).
UNWIND $rows AS row
CALL (row) {
  OPTIONAL MATCH (e:Enterprise {uscc: row.subject_uscc})
  OPTIONAL MATCH (p:Person {id_type: row.subject_id_type, id_number: row.subject_id_number})
  RETURN coalesce(e, p) AS s
}
MATCH (d:Department {code: row.department})
WITH row, s, d WHERE s IS NOT NULL
MERGE (i:Interview {interview_id: row.interview_id})
ON CREATE SET i.recorded_at = $recorded_at
SET i += row.props
MERGE (i)-[:OF]->(s)
MERGE (i)-[:HELD_BY]->(d)
WITH i, s, d
CALL (i, s, d) {
  MATCH (i)-[old:OF|HELD_BY]->(other)
  WHERE other <> s AND other <> d
  DELETE old
}
RETURN count(*) AS written
