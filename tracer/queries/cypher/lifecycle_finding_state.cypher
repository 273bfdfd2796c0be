// The state of one finding for validating a change: its properties (with the transitions stored
// on it) and the region of its subject.
// Parameters: $finding_id (string).
MATCH (f:Finding {finding_id: $finding_id})
OPTIONAL MATCH (f)-[:AGAINST]->(s)
RETURN f {.finding_id, .status, .list_type, .ground, .act_date, .decided_on, .effective_until,
          .recorded_at, .status_seq, .status_to, .status_effective, .status_recorded,
          .status_term} AS finding,
       s.region_code AS region_code
LIMIT 1
