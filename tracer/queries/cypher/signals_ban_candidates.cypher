// Candidates for ban breaches: persons linked to a finding applying on $as_of against an enterprise
// (a position, a practitioner registration, or being named) who took a position with a role in
// $roles at ANOTHER enterprise on or after the finding's decision and on or before $as_of.
// Whether they are banned, and until when, is the liability engine's answer.
// Parameters: $as_of (Date), $roles (list of role codes), $limit (max persons).
MATCH (f:Finding)-[:AGAINST]->(a:Enterprise)
WHERE f.status = 'ACTIVE' AND f.decided_on <= $as_of
  AND (f.effective_until IS NULL OR f.effective_until >= $as_of)
CALL (f, a) {
  MATCH (a)<-[:HOLDS|REGISTERED_AT]-(p:Person)
  RETURN p
  UNION
  MATCH (f)-[:NAMES]->(p:Person)
  RETURN p
}
MATCH (p)-[h:HOLDS]->(b:Enterprise)
WHERE b <> a AND h.role IN $roles AND h.start_date >= f.decided_on AND h.start_date <= $as_of
WITH DISTINCT p
ORDER BY p.id_type, p.id_number
LIMIT $limit
RETURN p.id_type AS id_type, p.id_number AS id_number,
       [(p)-[h:HOLDS]->(b:Enterprise) WHERE h.role IN $roles AND h.start_date <= $as_of
        | {uscc: b.uscc, name: b.name, role: h.role, start_date: h.start_date,
           end_date: h.end_date}] AS positions
