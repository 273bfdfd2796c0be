// Store recomputed status lines (and give transitions from before effective dates theirs).
// Parameters: $rows (list of {finding_id, props: the line properties of
// tracer.queries.timeline.line_properties, transitions: [{seq, effective_on, recorded_at}]}).
UNWIND $rows AS row
MATCH (f:Finding {finding_id: row.finding_id})
SET f += row.props
WITH f, row
CALL (f, row) {
  UNWIND row.transitions AS item
  MATCH (f)-[:HAS_TRANSITION]->(t:Transition {seq: item.seq})
  SET t.effective_on = coalesce(t.effective_on, item.effective_on),
      t.recorded_at = coalesce(t.recorded_at, item.recorded_at)
}
RETURN count(*) AS written
