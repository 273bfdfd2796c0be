// R9: the organisations notified of findings against public-sector staff. For each finding
// against a natural person that applies on $as_of (as known at $known_at) and each rule in force
// with subject_requires PUBLIC_SECTOR_STAFF (rules_in_force), the person's public-sector
// employments (EMPLOYED_BY, public_sector) held on the rule's reference date, with the employer
// and the DISCIPLINE_INSPECTION and ORGANISATION_PERSONNEL departments of the employer's or its
// superior's region (SUPERVISED_BY / REPORTS_TO).
// Parameters: $finding_ids (list), $as_of (Date), $known_at (DateTime), $limit (max departments
// per kind), $name_kinds (list of {keyword, kind}: a department without a kind is the kind of the
// first keyword in its name, as in tracer.queries.departments).
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})-[:AGAINST]->(s:Person)
WITH f, s, {{ finding_state }}
WHERE applies
{{ list_type_in_force }}
{{ rules_in_force }}
WITH f, s, r
WHERE r.reaches_organisations AND r.subject_requires = 'PUBLIC_SECTOR_STAFF'
WITH f, s, r,
     CASE r.reference WHEN 'ACT_DATE' THEN coalesce(f.act_date, f.decided_on)
                      ELSE f.decided_on END AS basis
MATCH (s)-[e:EMPLOYED_BY]->(employer)
WHERE e.public_sector AND e.start_date <= basis AND (e.end_date IS NULL OR basis <= e.end_date)
OPTIONAL MATCH (employer)-[:SUPERVISED_BY|REPORTS_TO]->(sup:Department)
WITH f, r, employer, collect(sup) AS superiors
OPTIONAL MATCH (d:Department)
WHERE d.region_code IS NOT NULL
  AND (d.region_code = employer.region_code
       OR any(x IN superiors WHERE x.region_code = d.region_code))
WITH f, r, employer, d,
     coalesce(d.kind, head([k IN $name_kinds WHERE d.name CONTAINS k.keyword | k.kind])) AS kind
WITH f, r, employer,
     collect(CASE WHEN kind = 'DISCIPLINE_INSPECTION' THEN d {.code, .name} END)[..$limit]
       AS discipline,
     collect(CASE WHEN kind = 'ORGANISATION_PERSONNEL' THEN d {.code, .name} END)[..$limit]
       AS personnel
RETURN f.finding_id AS finding_id,
       r {.rule_id, .effect, .measures, .source} AS rule,
       {code: coalesce(employer.uscc, employer.code), name: employer.name} AS employer,
       discipline, personnel
ORDER BY finding_id, employer.code, employer.uscc
