// Who each finding reaches on $as_of as known at $known_at: the same hits as liability_by_person
// (fragments role_hits, named_hits, subject_hits), started from the finding. The organisations
// its rules notify are liability_finding_notices (read only where an answer shows them).
// Parameters: $finding_ids (list), $as_of (Date), $known_at (DateTime), $limit (max hits per
// route and finding).
OPTIONAL MATCH (state:ReferenceState)
WITH state.stamp AS stamp
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})
OPTIONAL MATCH (f)-[:AGAINST]->(s)
WITH stamp, f, s
OPTIONAL CALL (f, s) {
  WITH f, s WHERE s:Enterprise
  MATCH (s)<-[h:HOLDS|OWNS|REGISTERED_AT]-(p:Person)
  {{ role_hits }}
  LIMIT $limit
  UNION ALL
  WITH f, s WHERE s:Enterprise
  MATCH (f)-[n:NAMES]->(p:Person)
  {{ named_hits }}
  LIMIT $limit
  UNION ALL
  WITH f, s WHERE s:Person
  MATCH (f)-[a:AGAINST]->(p:Person)
  {{ subject_hits }}
  LIMIT $limit
}
WITH stamp, f, s,
     {{ collected_hits }} AS hits
WITH stamp, f, s, hits, {{ finding_state }}
{{ list_type_in_force }}
RETURN stamp, {{ finding_fields }} AS finding, f.recorded_at AS recorded_at,
       f {.status_seq, .status_to, .status_effective, .status_recorded} AS history,
       coalesce(f.category, lt.category) AS category, applies, listed,
       CASE WHEN s:Enterprise THEN s {.uscc, .name, .kind, .ownership, .region_code} END AS enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person,
       hits
