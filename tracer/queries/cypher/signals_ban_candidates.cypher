// Candidates for ban breaches: persons linked to a finding listed on $as_of as known at
// $known_at against an enterprise (a position, a practitioner registration, or being named) who
// hold a position with a role in $roles, or a registration, at ANOTHER enterprise that began on
// or before $as_of and had not ended before the finding's decision. Whether they are banned,
// and until when, is the liability engine's answer.
// Parameters: $as_of (Date), $known_at (DateTime), $roles (list of role codes), $limit.
MATCH (f:Finding)-[:AGAINST]->(a:Enterprise)
WITH f, a, {{ finding_state }}
WHERE listed
CALL (f, a) {
  MATCH (a)<-[:HOLDS|REGISTERED_AT]-(p:Person)
  RETURN p
  UNION
  MATCH (f)-[:NAMES]->(p:Person)
  RETURN p
}
MATCH (p)-[h:HOLDS|REGISTERED_AT]->(b:Enterprise)
WHERE b <> a AND (type(h) = 'REGISTERED_AT' OR h.role IN $roles)
  AND (h.start_date IS NULL OR h.start_date <= $as_of)
  AND (h.end_date IS NULL OR h.end_date >= f.decided_on)
WITH DISTINCT p
ORDER BY p.id_type, p.id_number
LIMIT $limit
RETURN p.id_type AS id_type, p.id_number AS id_number,
       [(p)-[h:HOLDS|REGISTERED_AT]->(b:Enterprise)
        WHERE (type(h) = 'REGISTERED_AT' OR h.role IN $roles)
          AND (h.start_date IS NULL OR h.start_date <= $as_of)
        | {uscc: b.uscc, name: b.name, kind: type(h),
           role: coalesce(h.role, 'REGISTERED_PRACTITIONER'), start_date: h.start_date,
           end_date: h.end_date}] AS positions
