// When each finding was recorded in this system (it cannot have been pushed to anyone before).
// Parameters: $finding_ids (list of finding ids), $limit (max rows).
UNWIND $finding_ids AS finding_id
MATCH (f:Finding {finding_id: finding_id})
RETURN finding_id, f.recorded_at AS recorded_at
LIMIT $limit
