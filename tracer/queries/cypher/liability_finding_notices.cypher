// The organisations the rules of each finding against an enterprise notify on $as_of as known at
// $known_at (R6: the superior department via SUPERVISED_BY; AUDIT departments of the superior's
// or the enterprise's region), one row per finding with such a rule, rules by id. Whether the
// finding applies is the caller's (liability_by_finding).
// Parameters: $finding_ids (list), $as_of (Date), $known_at (DateTime), $limit (max audit
// departments per rule), $name_kinds (list of {keyword, kind}: a department without a kind is
// the kind of the first keyword in its name, as in tracer.queries.departments).
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})-[:AGAINST]->(s:Enterprise)
WITH f, s, {{ finding_state }}
{{ list_type_in_force }}
{{ rules_in_force }}
WITH f, s, r WHERE r.reaches_organisations AND r.subject_requires <> 'PUBLIC_SECTOR_STAFF'
OPTIONAL MATCH (s)-[:SUPERVISED_BY]->(sup:Department)
WITH f, s, r, collect(sup) AS superiors
OPTIONAL MATCH (audit:Department)
WHERE audit.region_code IS NOT NULL
  AND (audit.region_code = s.region_code
       OR any(x IN superiors WHERE x.region_code = audit.region_code))
  AND coalesce(audit.kind,
               head([k IN $name_kinds WHERE audit.name CONTAINS k.keyword | k.kind]),
               CASE WHEN toUpper(audit.code) CONTAINS 'AUDIT' THEN 'AUDIT' END) = 'AUDIT'
WITH f, r, superiors, collect(audit)[..$limit] AS audits
ORDER BY f.finding_id, r.rule_id
RETURN f.finding_id AS finding_id,
       collect({rule: r {.rule_id, .name, .effect, .measures, .source},
                superiors: [x IN superiors | x {.code, .name, .kind}],
                audits: [x IN audits | x {.code, .name, kind: 'AUDIT'}]}) AS notices
