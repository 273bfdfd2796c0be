// Liabilities and exposures of many people on one date, in one round trip.
// Liable: every (finding, rule, route) reaching the person — a role held on the rule's basis date
// (HOLDS, or OWNS = SHAREHOLDER, or REGISTERED_AT = REGISTERED_PRACTITIONER), a role plus being
// named DIRECTLY_RESPONSIBLE (roles_if_named), a named capacity (NAMES), or being the finding's
// subject (rules with person_subjects). A finding counts when ACTIVE, decided_on <= $as_of,
// effective_until absent or >= $as_of, and it has no RELEASES edge to the person.
// Exposed: roles of some matching rule held on $as_of at a listed enterprise (liability is
// subtracted by the caller).
// Finding and position dates are read through properties(...) on purpose: the planner must expand
// from each person (unique index) and never start from a Finding or HOLDS range index, so the
// cost of a check does not grow with the size of the graph.
// Parameters: $people (list of {id_type, id_number}), $as_of (Date), $measure (code or null),
// $limit (max hits and exposures per person).
OPTIONAL MATCH (m:Measure {code: $measure})
WITH m IS NOT NULL AS measure_known
UNWIND range(0, size($people) - 1) AS i
WITH i, $people[i] AS q, measure_known
OPTIONAL MATCH (p:Person {id_type: q.id_type, id_number: q.id_number})
OPTIONAL CALL (p) {
  WITH p WHERE p IS NOT NULL
  MATCH (p)-[h:HOLDS|OWNS|REGISTERED_AT]->(e:Enterprise)<-[:AGAINST]-(f:Finding)
  WITH *, properties(f) AS fp
  WHERE fp.status = 'ACTIVE' AND fp.decided_on <= $as_of
    AND (fp.effective_until IS NULL OR fp.effective_until >= $as_of)
    AND NOT EXISTS { (f)-[:RELEASES]->(p) }
  WITH p, h, e, f,
       CASE type(h) WHEN 'OWNS' THEN 'SHAREHOLDER'
                    WHEN 'REGISTERED_AT' THEN 'REGISTERED_PRACTITIONER'
                    ELSE h.role END AS role,
       EXISTS { (f)-[:NAMES {capacity: 'DIRECTLY_RESPONSIBLE'}]->(p) } AS named
  OPTIONAL MATCH (lt:ListType {code: f.list_type})
  WITH h, e, f, role, named, coalesce(f.category, lt.category) AS category
  MATCH (r:Rule)
  WHERE (role IN r.roles OR (named AND role IN r.roles_if_named))
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
         OR e.kind IN r.subject_kinds OR e.ownership IN r.ownerships)
    AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)
  WITH h, e, f, role, named, category, r,
       CASE r.date_basis WHEN 'DECIDED_ON' THEN f.decided_on
                         ELSE coalesce(f.act_date, f.decided_on) END AS basis
  WHERE (h.start_date IS NULL OR h.start_date <= basis)
    AND (h.end_date IS NULL OR h.end_date >= basis)
  RETURN f, e, r, category, basis,
         CASE WHEN role IN r.roles THEN 'ROLE' ELSE 'ROLE_IF_NAMED' END AS route,
         role,
         CASE WHEN role IN r.roles THEN null ELSE 'DIRECTLY_RESPONSIBLE' END AS capacity,
         type(h) AS edge_type, properties(h) AS edge
  LIMIT $limit
  UNION
  WITH p WHERE p IS NOT NULL
  MATCH (p)<-[n:NAMES]-(f:Finding)-[:AGAINST]->(e:Enterprise)
  WITH *, properties(f) AS fp
  WHERE fp.status = 'ACTIVE' AND fp.decided_on <= $as_of
    AND (fp.effective_until IS NULL OR fp.effective_until >= $as_of)
    AND NOT EXISTS { (f)-[:RELEASES]->(p) }
  OPTIONAL MATCH (lt:ListType {code: f.list_type})
  WITH n, e, f, coalesce(f.category, lt.category) AS category
  MATCH (r:Rule)
  WHERE n.capacity IN r.named_capacities
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
         OR e.kind IN r.subject_kinds OR e.ownership IN r.ownerships)
    AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)
  RETURN f, e, r, category,
         CASE r.date_basis WHEN 'DECIDED_ON' THEN f.decided_on
                           ELSE coalesce(f.act_date, f.decided_on) END AS basis,
         'NAMED' AS route, null AS role, n.capacity AS capacity,
         'NAMES' AS edge_type, properties(n) AS edge
  LIMIT $limit
  UNION
  WITH p WHERE p IS NOT NULL
  MATCH (p)<-[a:AGAINST]-(f:Finding)
  WITH *, properties(f) AS fp
  WHERE fp.status = 'ACTIVE' AND fp.decided_on <= $as_of
    AND (fp.effective_until IS NULL OR fp.effective_until >= $as_of)
    AND NOT EXISTS { (f)-[:RELEASES]->(p) }
  OPTIONAL MATCH (lt:ListType {code: f.list_type})
  WITH a, f, coalesce(f.category, lt.category) AS category
  MATCH (r:Rule)
  WHERE r.person_subjects
    AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR category IN r.categories)
    AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)
  RETURN f, null AS e, r, category,
         CASE r.date_basis WHEN 'DECIDED_ON' THEN f.decided_on
                           ELSE coalesce(f.act_date, f.decided_on) END AS basis,
         'SUBJECT' AS route, null AS role, null AS capacity,
         'AGAINST' AS edge_type, properties(a) AS edge
  LIMIT $limit
}
WITH i, q, p, measure_known,
     collect(CASE WHEN f IS NOT NULL THEN
       {finding: f {.*}, enterprise: e {.uscc, .name, .kind, .ownership}, rule: r {.*},
        category: category, basis: basis, route: route, role: role, capacity: capacity,
        edge_type: edge_type, edge: edge} END) AS hits
CALL (p) {
  WITH p WHERE p IS NOT NULL
  MATCH (p)-[h:HOLDS|OWNS|REGISTERED_AT]->(e:Enterprise)<-[:AGAINST]-(f:Finding)
  WITH *, properties(h) AS hp, properties(f) AS fp
  WHERE (hp.start_date IS NULL OR hp.start_date <= $as_of)
    AND (hp.end_date IS NULL OR hp.end_date >= $as_of)
    AND fp.status = 'ACTIVE' AND fp.decided_on <= $as_of
    AND (fp.effective_until IS NULL OR fp.effective_until >= $as_of)
  WITH p, h, e, f,
       CASE type(h) WHEN 'OWNS' THEN 'SHAREHOLDER'
                    WHEN 'REGISTERED_AT' THEN 'REGISTERED_PRACTITIONER'
                    ELSE h.role END AS role
  OPTIONAL MATCH (lt:ListType {code: f.list_type})
  WITH p, h, e, f, role, coalesce(f.category, lt.category) AS category
  WHERE EXISTS {
    MATCH (r:Rule)
    WHERE role IN r.roles
      AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
      AND (size(r.categories) = 0 OR category IN r.categories)
      AND ((size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
           OR e.kind IN r.subject_kinds OR e.ownership IN r.ownerships)
  }
  WITH p, h, e, f, role LIMIT $limit
  RETURN collect({finding: f {.*}, enterprise: e {.uscc, .name}, role: role,
                  edge: properties(h),
                  released: EXISTS { (f)-[:RELEASES]->(p) }}) AS exposures
}
RETURN i, q.id_type AS id_type, q.id_number AS id_number, p IS NOT NULL AS known,
       p.name AS name, measure_known, hits, exposures
ORDER BY i
