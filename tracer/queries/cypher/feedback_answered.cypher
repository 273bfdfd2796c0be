// Which departments have given any feedback on which of the given findings (distinct pairs).
// Parameters: $finding_ids (list of finding ids), $limit (max rows).
UNWIND $finding_ids AS fid
MATCH (d:Department)-[:FEEDBACK]->(:Feedback)-[:ON]->(:Finding {finding_id: fid})
RETURN DISTINCT d.code AS department, fid AS finding_id
LIMIT $limit
