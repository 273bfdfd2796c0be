// The region_code of the enterprise each given finding is against (for department region scopes).
// Parameters: $finding_ids (list of finding ids), $limit (max rows).
UNWIND $finding_ids AS fid
MATCH (:Finding {finding_id: fid})-[:AGAINST]->(e:Enterprise)
RETURN fid AS finding_id, e.region_code AS region_code
LIMIT $limit
