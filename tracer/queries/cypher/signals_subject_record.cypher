// One subject's red-list honours valid on $as_of (not revoked by then), the findings against it with their applying
// intervals as known at $known_at (a bad record is any that applied on a day of the window), and
// for a person the findings linked to them (position at the listed enterprise, named, listed).
// Parameters: $uscc (or null), $id_type and $id_number (or null), $as_of (Date),
// $known_at (DateTime), $limit.
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS s
WHERE s IS NOT NULL
CALL (s) {
  OPTIONAL MATCH (h:Honour)-[:GRANTED_TO]->(s)
  WHERE h.granted_on <= $as_of AND (h.valid_until IS NULL OR h.valid_until >= $as_of)
  AND (h.revoked_on IS NULL OR h.revoked_on > $as_of)
  WITH h ORDER BY h.granted_on DESC LIMIT $limit
  RETURN collect(h {.*}) AS honours
}
CALL (s) {
  OPTIONAL MATCH (f:Finding)-[:AGAINST]->(s)
  WITH f ORDER BY f.decided_on DESC LIMIT $limit
  RETURN collect(CASE WHEN f IS NOT NULL THEN
           {finding_id: f.finding_id, list_type: f.list_type, decided_on: f.decided_on,
            line_from: [i IN range(0, size(coalesce(f.line_from, [])) - 1)
                        WHERE f.line_known_from[i] <= $known_at AND $known_at < f.line_known_to[i]
                        | f.line_from[i]],
            line_to: [i IN range(0, size(coalesce(f.line_from, [])) - 1)
                      WHERE f.line_known_from[i] <= $known_at AND $known_at < f.line_known_to[i]
                      | f.line_to[i]]} END) AS findings
}
CALL (s) {
  WITH s WHERE s:Person
  CALL (s) {
    MATCH (s)-[:HOLDS|OWNS|REGISTERED_AT]->(:Enterprise)<-[:AGAINST]-(f:Finding)
    RETURN f
    UNION
    MATCH (s)<-[:NAMES]-(f:Finding)
    RETURN f
  }
  WITH DISTINCT f LIMIT $limit
  RETURN collect({line_from: [i IN range(0, size(coalesce(f.line_from, [])) - 1)
                              WHERE f.line_known_from[i] <= $known_at
                                AND $known_at < f.line_known_to[i] | f.line_from[i]],
                  line_to: [i IN range(0, size(coalesce(f.line_from, [])) - 1)
                            WHERE f.line_known_from[i] <= $known_at
                              AND $known_at < f.line_known_to[i] | f.line_to[i]]}) AS linked
}
RETURN CASE WHEN s:Enterprise THEN 'ENTERPRISE' ELSE 'PERSON' END AS kind, s.name AS name,
       s.established_on AS established_on, honours, findings, coalesce(linked, []) AS linked
