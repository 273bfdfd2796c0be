// The status history of one finding, oldest first; no row when the finding does not exist.
// Parameters: $finding_id (string), $limit (max transitions).
MATCH (f:Finding {finding_id: $finding_id})
OPTIONAL CALL (f) {
  MATCH (f)-[:HAS_TRANSITION]->(t:Transition)
  WITH t ORDER BY t.seq LIMIT $limit
  RETURN collect(t {.transition_id, .finding_id, .seq, .from_status, .to_status, .actor, .reason,
                    .document, .new_effective_until,
                    effective_on: coalesce(t.effective_on, date(t.at)),
                    recorded_at: coalesce(t.recorded_at, t.at)}) AS history
}
RETURN f.finding_id AS finding_id, coalesce(history, []) AS history
