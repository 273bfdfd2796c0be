// The stored state of many findings (those that exist), for recording them again: properties
// with the transitions stored on them, and the region of the subject.
// Parameters: $finding_ids (list).
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})
OPTIONAL MATCH (f)-[:AGAINST]->(s)
RETURN f {.finding_id, .subject_id, .status, .list_type, .category, .ground, .severe, .exit_restricted,
          .authority, .basis, .act_date, .decided_on, .effective_until, .recorded_at,
          .status_seq, .status_to, .status_effective, .status_recorded, .status_term} AS finding,
       s.region_code AS region_code
