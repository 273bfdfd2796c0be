// Feedback counts per department and outcome (feedback records and distinct findings).
// Parameters: $limit (max rows).
MATCH (d:Department)-[:FEEDBACK]->(fb:Feedback)
RETURN d.code AS department, fb.outcome AS outcome, count(*) AS feedback,
       count(DISTINCT fb.finding_id) AS findings
ORDER BY department, outcome
LIMIT $limit
