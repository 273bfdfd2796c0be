// Feedback recorded on the given findings (optionally by one department), oldest first.
// Parameters: $finding_ids (list of finding ids), $department (department code, or null for all),
// $limit (max rows).
UNWIND $finding_ids AS fid
MATCH (d:Department)-[:FEEDBACK]->(fb:Feedback)-[:ON]->(:Finding {finding_id: fid})
WHERE $department IS NULL OR d.code = $department
WITH fb ORDER BY fb.recorded_at, fb.feedback_id
LIMIT $limit
RETURN fb {.*} AS feedback
