// One credit commitment or interview by id, with its subject and department.
// Parameters: $commitment_id (or null), $interview_id (or null).
// Returns: kind (COMMITMENT or INTERVIEW), record (properties), enterprise, person, department.
OPTIONAL MATCH (c:Commitment {commitment_id: $commitment_id})
OPTIONAL MATCH (i:Interview {interview_id: $interview_id})
WITH coalesce(c, i) AS r
WHERE r IS NOT NULL
MATCH (r)-[:GIVEN_BY|OF]->(s)
MATCH (r)-[:RECEIVED_BY|HELD_BY]->(d:Department)
RETURN CASE WHEN r:Commitment THEN 'COMMITMENT' ELSE 'INTERVIEW' END AS kind, r {.*} AS record,
       CASE WHEN s:Enterprise THEN s {.uscc, .name} END AS enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person,
       d {.code, .name} AS department
