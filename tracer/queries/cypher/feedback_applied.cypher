// APPLIED, LIFTED and RESTORED feedback of one department (or all), oldest first: the applied
// measures a department may have to lift.
// Parameters: $department (code, or null for all), $limit (max rows).
MATCH (d:Department)-[:FEEDBACK]->(fb:Feedback)
WHERE ($department IS NULL OR d.code = $department)
  AND fb.outcome IN ['APPLIED', 'LIFTED', 'RESTORED']
WITH fb ORDER BY fb.recorded_at, fb.feedback_id
LIMIT $limit
RETURN fb {.*} AS feedback
