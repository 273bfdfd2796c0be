// Append one status transition to a finding and set its status, in one transaction. Returns no
// row when the finding's status is no longer $from_status (changed concurrently). The next seq
// is max(seq) + 1. The finding is write-locked first (SET/REMOVE of a scratch property) so
// concurrent writers serialise; the unique transition_id "<finding_id>#<seq>" is a second guard.
// Parameters: $finding_id, $from_status, $to_status, $at (DateTime), $actor, $reason, $document (or null).
MATCH (f:Finding {finding_id: $finding_id})
SET f.transition_lock = true
REMOVE f.transition_lock
WITH f WHERE f.status = $from_status
OPTIONAL MATCH (f)-[:HAS_TRANSITION]->(old:Transition)
WITH f, coalesce(max(old.seq), 0) + 1 AS seq
CREATE (t:Transition {transition_id: f.finding_id + '#' + toString(seq), finding_id: f.finding_id,
                      seq: seq, from_status: $from_status, to_status: $to_status, at: $at,
                      actor: $actor, reason: $reason})
SET t.document = $document
CREATE (f)-[:HAS_TRANSITION]->(t)
SET f.status = $to_status
RETURN t {.*} AS transition
