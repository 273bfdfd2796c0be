// Who each finding reaches on one date: liable persons (same routes and conditions as
// liability_by_person), persons exposed (holding a role of a matching rule at the listed
// enterprise on $as_of; the caller subtracts the liable), and organisations notified by rules
// with reaches_organisations (superior department via SUPERVISED_BY; AUDIT departments of the
// superior's or the enterprise's region).
// Position dates are read through properties(h) so that the planner expands from the finding's
// subject instead of scanning a HOLDS range index.
// Parameters: $finding_ids (list of strings), $as_of (Date), $limit (max rows per part and finding).
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})
OPTIONAL MATCH (f)-[:AGAINST]->(subject)
OPTIONAL MATCH (lt:ListType {code: f.list_type})
WITH f, subject, coalesce(f.category, lt.category) AS category,
     (f.status = 'ACTIVE' AND f.decided_on <= $as_of
      AND (f.effective_until IS NULL OR f.effective_until >= $as_of)) AS applies
OPTIONAL CALL (f, subject, category, applies) {
  WITH f, subject, category WHERE applies AND subject:Enterprise
  MATCH (subject)<-[h:HOLDS|OWNS|REGISTERED_AT]-(p:Person)
  WHERE NOT EXISTS { (f)-[:RELEASES]->(p) }
  WITH f, subject, category, p, h,
       CASE type(h) WHEN 'OWNS' THEN 'SHAREHOLDER'
                    WHEN 'REGISTERED_AT' THEN 'REGISTERED_PRACTITIONER'
                    ELSE h.role END AS role,
       EXISTS { (f)-[:NAMES {capacity: 'DIRECTLY_RESPONSIBLE'}]->(p) } AS named
  MATCH (r:Rule)
  WHERE (role IN r.roles OR (named AND role IN r.roles_if_named))
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
         OR subject.kind IN r.subject_kinds OR subject.ownership IN r.ownerships)
    AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)
  WITH p, h, role, r,
       CASE r.date_basis WHEN 'DECIDED_ON' THEN f.decided_on
                         ELSE coalesce(f.act_date, f.decided_on) END AS basis
  WHERE (h.start_date IS NULL OR h.start_date <= basis)
    AND (h.end_date IS NULL OR h.end_date >= basis)
  RETURN p, r, basis,
         CASE WHEN role IN r.roles THEN 'ROLE' ELSE 'ROLE_IF_NAMED' END AS route,
         role,
         CASE WHEN role IN r.roles THEN null ELSE 'DIRECTLY_RESPONSIBLE' END AS capacity,
         type(h) AS edge_type, properties(h) AS edge
  LIMIT $limit
  UNION
  WITH f, subject, category WHERE applies AND subject:Enterprise
  MATCH (f)-[n:NAMES]->(p:Person)
  WHERE NOT EXISTS { (f)-[:RELEASES]->(p) }
  MATCH (r:Rule)
  WHERE n.capacity IN r.named_capacities
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
         OR subject.kind IN r.subject_kinds OR subject.ownership IN r.ownerships)
    AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)
  RETURN p, r,
         CASE r.date_basis WHEN 'DECIDED_ON' THEN f.decided_on
                           ELSE coalesce(f.act_date, f.decided_on) END AS basis,
         'NAMED' AS route, null AS role, n.capacity AS capacity,
         'NAMES' AS edge_type, properties(n) AS edge
  LIMIT $limit
  UNION
  WITH f, subject, category WHERE applies AND subject:Person
  MATCH (f)-[a:AGAINST]->(p:Person)
  WHERE NOT EXISTS { (f)-[:RELEASES]->(p) }
  MATCH (r:Rule)
  WHERE r.person_subjects
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)
  RETURN p, r,
         CASE r.date_basis WHEN 'DECIDED_ON' THEN f.decided_on
                           ELSE coalesce(f.act_date, f.decided_on) END AS basis,
         'SUBJECT' AS route, null AS role, null AS capacity,
         'AGAINST' AS edge_type, properties(a) AS edge
  LIMIT $limit
}
WITH f, subject, category, applies,
     collect(CASE WHEN p IS NOT NULL THEN
       {person: p {.id_type, .id_number, .name}, rule: r {.*}, basis: basis, route: route,
        role: role, capacity: capacity, edge_type: edge_type, edge: edge} END) AS hits
CALL (f, subject, category, applies) {
  WITH f, subject, category WHERE applies AND subject:Enterprise
  MATCH (subject)<-[h:HOLDS|OWNS|REGISTERED_AT]-(p:Person)
  WITH f, subject, category, p, h, properties(h) AS hp
  WHERE (hp.start_date IS NULL OR hp.start_date <= $as_of)
    AND (hp.end_date IS NULL OR hp.end_date >= $as_of)
  WITH f, subject, category, p, h,
       CASE type(h) WHEN 'OWNS' THEN 'SHAREHOLDER'
                    WHEN 'REGISTERED_AT' THEN 'REGISTERED_PRACTITIONER'
                    ELSE h.role END AS role
  WHERE EXISTS {
    MATCH (r:Rule)
    WHERE role IN r.roles
      AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
      AND (size(r.categories) = 0 OR category IN r.categories)
      AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
           OR subject.kind IN r.subject_kinds OR subject.ownership IN r.ownerships)
  }
  WITH f, p, h, role LIMIT $limit
  RETURN collect({person: p {.id_type, .id_number, .name}, role: role, edge: properties(h),
                  released: EXISTS { (f)-[:RELEASES]->(p) }}) AS exposures
}
CALL (f, subject, category, applies) {
  WITH f, subject, category WHERE applies AND subject:Enterprise
  MATCH (r:Rule)
  WHERE r.reaches_organisations
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
         OR subject.kind IN r.subject_kinds OR subject.ownership IN r.ownerships)
  OPTIONAL MATCH (subject)-[:SUPERVISED_BY]->(sup:Department)
  WITH subject, r, collect(sup) AS superiors
  OPTIONAL MATCH (audit:Department {kind: 'AUDIT'})
  WHERE audit.region_code IS NOT NULL
    AND (audit.region_code = subject.region_code
         OR any(s IN superiors WHERE s.region_code = audit.region_code))
  WITH r, superiors, collect(audit)[..$limit] AS audits
  RETURN collect({rule: r {.rule_id, .name, .effect, .measures, .source},
                  superiors: [s IN superiors | s {.code, .name, .kind}],
                  audits: [a IN audits | a {.code, .name, .kind}]}) AS notices
}
RETURN f {.*} AS finding, category, applies,
       CASE WHEN subject:Enterprise THEN subject {.uscc, .name, .kind, .ownership} END AS enterprise,
       CASE WHEN subject:Person THEN subject {.id_type, .id_number, .name} END AS person,
       hits, exposures, notices
