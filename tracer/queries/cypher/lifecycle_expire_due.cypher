// Record EXPIRED for findings whose punishment period ended before $as_of and whose status can
// still expire (ACTIVE, UNDER_REVIEW, CORRECTED): one Transition each, status set, one batch.
// Each finding is write-locked and its status re-checked, as in lifecycle_transition.
// Parameters: $as_of (Date), $at (DateTime), $actor (string), $limit (batch size).
MATCH (f:Finding)
WHERE f.effective_until < $as_of AND f.status IN ['ACTIVE', 'UNDER_REVIEW', 'CORRECTED']
WITH f ORDER BY f.finding_id LIMIT $limit
SET f.transition_lock = true
REMOVE f.transition_lock
WITH f WHERE f.status IN ['ACTIVE', 'UNDER_REVIEW', 'CORRECTED']
OPTIONAL MATCH (f)-[:HAS_TRANSITION]->(old:Transition)
WITH f, coalesce(max(old.seq), 0) + 1 AS seq
CREATE (t:Transition {transition_id: f.finding_id + '#' + toString(seq), finding_id: f.finding_id,
                      seq: seq, from_status: f.status, to_status: 'EXPIRED', at: $at,
                      actor: $actor,
                      reason: 'punishment period ended on ' + toString(f.effective_until)})
CREATE (f)-[:HAS_TRANSITION]->(t)
SET f.status = 'EXPIRED'
RETURN t {.*} AS transition
