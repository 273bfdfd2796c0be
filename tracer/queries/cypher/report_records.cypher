// Credit report: the subject's own records on $as_of as known at $known_at — red-list honours,
// credit commitments (GIVEN_BY), interviews (OF) — and the objections against the report's
// findings, each with its department or disputing person. OPTIONAL MATCH throughout: an empty
// list where the graph has no such records.
// Parameters: $uscc (string or null), $id_type, $id_number (strings or null), $finding_ids
// (list of strings), $as_of (Date), $known_at (DateTime), $limit (max records of each kind).
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS s
WHERE s IS NOT NULL
CALL (s) {
  OPTIONAL MATCH (h:Honour)-[:GRANTED_TO]->(s)
  WHERE h.granted_on <= $as_of
  WITH h ORDER BY h.granted_on, h.honour_id LIMIT $limit
  RETURN collect(h {.*}) AS honours
}
CALL (s) {
  OPTIONAL MATCH (c:Commitment)-[:GIVEN_BY]->(s)
  WHERE c.committed_on <= $as_of AND (c.recorded_at IS NULL OR c.recorded_at <= $known_at)
  OPTIONAL MATCH (c)-[:RECEIVED_BY]->(d:Department)
  WITH c, d ORDER BY c.committed_on, c.commitment_id LIMIT $limit
  RETURN collect(c {.commitment_id, .matter, .committed_on, .due_on, .fulfilled_on, .breached_on,
                    department: d {.code, .name}}) AS commitments
}
CALL (s) {
  OPTIONAL MATCH (i:Interview)-[:OF]->(s)
  WHERE i.held_on <= $as_of AND (i.recorded_at IS NULL OR i.recorded_at <= $known_at)
  OPTIONAL MATCH (i)-[:HELD_BY]->(d:Department)
  WITH i, d ORDER BY i.held_on, i.interview_id LIMIT $limit
  RETURN collect(i {.interview_id, .kind, .held_on, .rectify_by, .rectified_on,
                    department: d {.code, .name}}) AS interviews
}
CALL () {
  OPTIONAL MATCH (o:Objection)-[:AGAINST]->(f:Finding)
  WHERE f.finding_id IN $finding_ids AND o.filed_on <= $as_of
    AND (o.recorded_at IS NULL OR o.recorded_at <= $known_at)
  OPTIONAL MATCH (o)-[:DISPUTED_BY]->(person:Person)
  WITH o, f, person ORDER BY o.filed_on, o.objection_id LIMIT $limit
  RETURN collect(o {.objection_id, .filed_on, .status, .outcome, .deadline, .decided_on,
                    finding_id: f.finding_id,
                    person: person {.id_type, .id_number, .name}}) AS objections
}
RETURN honours, commitments, interviews, objections
