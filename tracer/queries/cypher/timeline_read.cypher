// What a finding's status line is computed from: its properties, the region of its subject and
// its transitions (oldest first).
// Parameters: $finding_ids (list).
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})
OPTIONAL MATCH (f)-[:AGAINST]->(s)
CALL (f) {
  OPTIONAL MATCH (f)-[:HAS_TRANSITION]->(t:Transition)
  WITH t ORDER BY t.seq
  RETURN collect(t {.seq, .to_status, .effective_on, .recorded_at, .at, .new_effective_until})
         AS transitions
}
RETURN f {.finding_id, .list_type, .ground, .act_date, .decided_on, .effective_until,
          .recorded_at} AS finding,
       s.region_code AS region_code, transitions
