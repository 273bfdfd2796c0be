// Red-listed subjects: honours valid on $as_of (not revoked by then) with their holder
// (enterprise or person) and, for enterprises, the ids of findings against them in force on
// $as_of as known at $known_at.
// Parameters: $as_of (Date), $known_at (DateTime), $limit (max honours).
MATCH (h:Honour)-[:GRANTED_TO]->(s)
WHERE h.granted_on <= $as_of AND (h.valid_until IS NULL OR h.valid_until >= $as_of)
  AND (h.revoked_on IS NULL OR h.revoked_on > $as_of)
WITH h, s ORDER BY h.granted_on, h.honour_id LIMIT $limit
CALL (s) {
  OPTIONAL MATCH (f:Finding)-[:AGAINST]->(s:Enterprise)
  WITH f, {{ finding_state }}
  WHERE applies
  RETURN collect(f.finding_id) AS findings
}
RETURN h {.*} AS honour,
       CASE WHEN s:Enterprise THEN s {.uscc, .name} END AS enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person,
       findings
