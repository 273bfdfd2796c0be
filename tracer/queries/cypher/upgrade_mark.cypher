// Upgrade: record that a backfill is complete (its marker property and version on the reference
// state node), so that later upgrades skip its scan (every current writer writes what it fills).
// Parameters: $marks (map of marker property -> version). Returns: marked (0 without reference
// data).
MATCH (s:ReferenceState {state_id: 'reference'})
SET s += $marks
RETURN count(s) AS marked
