// The current state of one finding, for validating a status transition.
// Parameters: $finding_id (string).
MATCH (f:Finding {finding_id: $finding_id})
RETURN f.finding_id AS finding_id, f.status AS status,
       f.effective_until AS effective_until
