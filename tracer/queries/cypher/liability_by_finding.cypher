// Who each finding reaches on $as_of as known at $known_at: the same hits as liability_by_person
// (fragments role_hits, named_hits, subject_hits), started from the finding, and the
// organisations its rules notify (R6: the superior department via SUPERVISED_BY; AUDIT
// departments of the superior's or the enterprise's region).
// Parameters: $finding_ids (list), $as_of (Date), $known_at (DateTime), $limit (max hits per
// route and finding), $name_kinds (list of {keyword, kind}: a department without a kind is
// the kind of the first keyword in its name, as in tracer.queries.departments).
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
CALL (f, s, lt, applies, listed) {
  WITH f, s, lt, applies, listed WHERE s:Enterprise
  {{ rules_in_force }}
  WITH s, r WHERE r.reaches_organisations AND r.subject_requires <> 'PUBLIC_SECTOR_STAFF'
  OPTIONAL MATCH (s)-[:SUPERVISED_BY]->(sup:Department)
  WITH s, r, collect(sup) AS superiors
  OPTIONAL MATCH (audit:Department)
  WHERE audit.region_code IS NOT NULL
    AND (audit.region_code = s.region_code
         OR any(x IN superiors WHERE x.region_code = audit.region_code))
    AND coalesce(audit.kind,
                 head([k IN $name_kinds WHERE audit.name CONTAINS k.keyword | k.kind]),
                 CASE WHEN toUpper(audit.code) CONTAINS 'AUDIT' THEN 'AUDIT' END) = 'AUDIT'
  WITH r, superiors, collect(audit)[..$limit] AS audits
  RETURN collect({rule: r {.rule_id, .name, .effect, .measures, .source},
                  superiors: [x IN superiors | x {.code, .name, .kind}],
                  audits: [x IN audits | x {.code, .name, kind: 'AUDIT'}]}) AS notices
}
RETURN stamp, {{ finding_fields }} AS finding, f.recorded_at AS recorded_at,
       f {.status_seq, .status_to, .status_effective, .status_recorded} AS history,
       coalesce(f.category, lt.category) AS category, applies, listed,
       CASE WHEN s:Enterprise THEN s {.uscc, .name, .kind, .ownership, .region_code} END AS enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person,
       hits, coalesce(notices, []) AS notices
