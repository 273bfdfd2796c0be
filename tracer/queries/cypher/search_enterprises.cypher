// Enterprises whose name contains $q (uses the enterprise_name_text TEXT index), or whose USCC
// starts with $q; names first by length (closest match), then USCC. `listed`: a finding in
// force against it on $as_of as known at $known_at.
// Parameters: $q (string, 1..50 characters), $skip (int), $limit (int; fetch one more than a
// page), $as_of (date), $known_at (datetime).
MATCH (e:Enterprise)
WHERE e.name CONTAINS $q OR e.uscc STARTS WITH toUpper($q)
WITH e ORDER BY size(e.name), e.uscc
SKIP $skip LIMIT $limit
CALL (e) {
  OPTIONAL MATCH (f:Finding)-[:AGAINST]->(e)
  WITH f, {{ finding_state }}
  RETURN any(x IN collect(applies) WHERE x) AS listed
}
RETURN e.uscc AS uscc, e.name AS name, e.kind AS kind, e.status AS status,
       e.region_code AS region_code, listed
