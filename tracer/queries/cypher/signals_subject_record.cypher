// One subject's red-list honours valid on $as_of and its bad records: findings against it decided on
// or before $as_of (REVOKED and CORRECTED are not bad records), each with the date its record ended
// ($as_of while it still applies or is under review; otherwise the repair/expiry transition date,
// else effective_until, else decided_on).
// Parameters: $uscc (or null), $id_type and $id_number (or null), $as_of (Date), $limit.
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS s
WHERE s IS NOT NULL
CALL (s) {
  OPTIONAL MATCH (h:Honour)-[:GRANTED_TO]->(s)
  WHERE h.granted_on <= $as_of AND (h.valid_until IS NULL OR h.valid_until >= $as_of)
  WITH h ORDER BY h.granted_on DESC LIMIT $limit
  RETURN collect(h {.*}) AS honours
}
CALL (s) {
  OPTIONAL MATCH (f:Finding)-[:AGAINST]->(s)
  WHERE f.decided_on <= $as_of AND NOT f.status IN ['REVOKED', 'CORRECTED']
  CALL (f) {
    OPTIONAL MATCH (f)-[:HAS_TRANSITION]->(t:Transition)
    WHERE t.to_status IN ['REPAIRED', 'EXPIRED']
    RETURN min(date(t.at)) AS closed
  }
  WITH f,
       CASE WHEN f.status IN ['ACTIVE', 'UNDER_REVIEW']
                 AND (f.effective_until IS NULL OR f.effective_until >= $as_of) THEN $as_of
            ELSE coalesce(closed, f.effective_until, f.decided_on) END AS ended
  WITH f, CASE WHEN ended > $as_of THEN $as_of ELSE ended END AS ended
  ORDER BY ended DESC, f.finding_id LIMIT $limit
  RETURN collect(CASE WHEN f IS NOT NULL THEN
           {finding_id: f.finding_id, list_type: f.list_type, status: f.status,
            decided_on: f.decided_on, effective_until: f.effective_until, ended: ended} END)
         AS findings
}
RETURN CASE WHEN s:Enterprise THEN 'ENTERPRISE' ELSE 'PERSON' END AS kind, s.name AS name,
       s.established_on AS established_on, honours, findings
