// Enterprises whose name contains $q (uses the enterprise_name_text TEXT index), or whose USCC
// starts with $q; names first by length (closest match), then USCC.
// Parameters: $q (string, 1..50 characters), $skip (int), $limit (int; fetch one more than a page).
MATCH (e:Enterprise)
WHERE e.name CONTAINS $q OR e.uscc STARTS WITH toUpper($q)
WITH e ORDER BY size(e.name), e.uscc
SKIP $skip LIMIT $limit
RETURN e.uscc AS uscc, e.name AS name, e.kind AS kind, e.status AS status,
       e.region_code AS region_code,
       EXISTS { (e)<-[:AGAINST]-(:Finding {status: 'ACTIVE'}) } AS listed
