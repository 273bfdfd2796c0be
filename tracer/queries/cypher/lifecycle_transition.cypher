// Append one transition to a finding, set its status and store its recomputed status line, in
// one statement. Returns no row when the finding changed meanwhile (its status is no longer
// $from_status or it has another number of transitions than $expected). The finding is
// write-locked first (SET/REMOVE of a scratch property) so concurrent writers serialise; the
// unique transition_id "<finding_id>#<seq>" is a second guard.
// Parameters: $finding_id, $from_status, $expected (int), $transition (map of Transition
// properties), $props (line properties of tracer.queries.timeline.line_properties).
MATCH (f:Finding {finding_id: $finding_id})
SET f.transition_lock = true
REMOVE f.transition_lock
WITH f
WHERE f.status = $from_status AND size(coalesce(f.status_seq, [])) = $expected
CREATE (t:Transition)
SET t = $transition, t.at = $transition.recorded_at
CREATE (f)-[:HAS_TRANSITION]->(t)
SET f += $props, f.status = $transition.to_status
RETURN t {.*} AS transition
