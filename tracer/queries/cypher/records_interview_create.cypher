// Record an interview (Interview, 提示约谈 PROMPT / 警示约谈 WARNING) of a subject (OF, an
// enterprise or a person) held by a department (HELD_BY), at the server's time of record.
// Parameters: $interview_id, $uscc (or null), $id_type and $id_number (or null), $department,
// $props ({kind, held_on, rectify_by}), $recorded_at (DateTime), $recorded_by.
// Returns: interview_id (no row when the subject or the department is unknown).
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS s
WHERE s IS NOT NULL
MATCH (d:Department {code: $department})
CREATE (i:Interview {interview_id: $interview_id})
SET i += $props, i.recorded_at = $recorded_at, i.recorded_by = $recorded_by
CREATE (i)-[:OF]->(s), (i)-[:HELD_BY]->(d)
RETURN i.interview_id AS interview_id
