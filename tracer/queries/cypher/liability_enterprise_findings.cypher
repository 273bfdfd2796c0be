// An enterprise and the ids of the findings against it (newest decision first).
// Parameters: $uscc (string), $limit (max findings).
MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL CALL (e) {
  MATCH (e)<-[:AGAINST]-(f:Finding)
  WITH f ORDER BY f.decided_on DESC, f.finding_id LIMIT $limit
  RETURN collect(f.finding_id) AS finding_ids
}
RETURN e.uscc AS uscc, e.name AS name, coalesce(finding_ids, []) AS finding_ids
