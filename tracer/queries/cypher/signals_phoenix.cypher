// Phoenix candidates: for each finding (not REVOKED: void from the start; decided on or before $as_of)
// against an enterprise A, enterprises B established within $window_days after the decision (and
// on or before $as_of) that share a person with A (a position or shareholding at A begun on or
// before the decision, and any position or shareholding at B) or A's address.
// Parameters: $as_of (Date), $window_days (int), $limit (max rows).
MATCH (f:Finding)-[:AGAINST]->(a:Enterprise)
WHERE f.status <> 'REVOKED' AND f.decided_on <= $as_of
WITH f, a, f.decided_on + duration({days: $window_days}) AS window_end
CALL (f, a, window_end) {
  MATCH (a)<-[ra:HOLDS|OWNS]-(:Person)-[:HOLDS|OWNS]->(b:Enterprise)
  WHERE (ra.start_date IS NULL OR ra.start_date <= f.decided_on)
    AND b.established_on > f.decided_on AND b.established_on <= window_end
    AND b.established_on <= $as_of
  RETURN DISTINCT b
  UNION
  WITH f, a, window_end WHERE a.address IS NOT NULL
  MATCH (b:Enterprise {address: a.address})
  WHERE b.established_on > f.decided_on AND b.established_on <= window_end
    AND b.established_on <= $as_of
  RETURN b
}
WITH f, a, b WHERE b <> a
CALL (f, a, b) {
  OPTIONAL MATCH (a)<-[ra:HOLDS|OWNS]-(p:Person)-[rb:HOLDS|OWNS]->(b)
  WHERE ra.start_date IS NULL OR ra.start_date <= f.decided_on
  WITH p,
       collect(DISTINCT CASE type(ra) WHEN 'OWNS' THEN 'SHAREHOLDER' ELSE ra.role END) AS listed_roles,
       collect(DISTINCT CASE type(rb) WHEN 'OWNS' THEN 'SHAREHOLDER' ELSE rb.role END) AS new_roles
  RETURN collect(CASE WHEN p IS NOT NULL THEN
           {person: p {.id_type, .id_number, .name}, listed_roles: listed_roles,
            new_roles: new_roles} END) AS people
}
WITH f, a, b, people
ORDER BY f.decided_on DESC, f.finding_id, b.uscc
LIMIT $limit
RETURN f {.finding_id, .list_type, .status, .decided_on} AS finding,
       a {.uscc, .name, .address} AS listed, b {.uscc, .name, .address, .established_on} AS new,
       people, a.address IS NOT NULL AND a.address = b.address AS same_address
