// Who each finding reaches on $as_of as known at $known_at: the same hits as liability_by_person
// (the conditions of fragments role_hits, named_hits, subject_hits), started from the finding.
// The list type and the rules in force are read once per finding (not once per position: at
// 100k enterprises that scan was most of a work list's time), each rule with its reference date.
// A hit carries what is its own (person, route, edge, flags) and its rule's id: the finding, its
// subject, category and flags and the rules' fields come once per row (`rules`), for the caller
// to join. The organisations its rules notify are liability_finding_notices (read only where an
// answer shows them).
// Parameters: $finding_ids (list), $as_of (Date), $known_at (DateTime), $limit (max hits per
// route and finding).
OPTIONAL MATCH (state:ReferenceState)
WITH state.stamp AS stamp
UNWIND $finding_ids AS fid
MATCH (f:Finding {finding_id: fid})
OPTIONAL MATCH (f)-[:AGAINST]->(s)
WITH stamp, f, s, {{ finding_state }}
{{ list_type_in_force }}
CALL (f, s, lt, applies, listed) {
  {{ rules_in_force }}
  RETURN collect({rule: {{ rule_fields }}, reference: {{ rule_reference }}}) AS rules
}
WITH stamp, f, s, applies, listed, rules, {{ finding_fields }} AS finding,
     coalesce(f.category, lt.category) AS category,
     CASE WHEN s:Enterprise THEN s {.uscc, .name, .kind, .ownership, .region_code} END AS enterprise
CALL (f, s, rules) {
  CALL (f, s, rules) {
    WITH f, s, rules WHERE s:Enterprise AND size(rules) > 0
    MATCH (s)<-[h:HOLDS|OWNS|REGISTERED_AT]-(p:Person)
    WITH f, rules, p, h, properties(h) AS hp, {{ position_role }} AS role
    WHERE {{ position_in_act_period }}
    UNWIND rules AS reaching
    WITH f, p, h, hp, role, reaching.rule AS r, reaching.reference AS reference
    WHERE {{ rule_reaches_role }}
    WITH f, p, h, hp, role, r, reference, {{ reference_basis }} AS basis
    RETURN p {.id_type, .id_number, .name} AS person, r.rule_id AS rule_id, reference, basis,
           'ROLE' AS route, role, null AS capacity, type(h) AS edge_type, hp AS edge,
           {{ position_on_basis }} AS on_basis,
           {{ named_responsible }} AS named,
           {{ person_released }} AS released
    LIMIT $limit
    UNION ALL
    WITH f, s, rules WHERE s:Enterprise AND size(rules) > 0
    MATCH (f)-[n:NAMES]->(p:Person)
    WHERE {{ named_on }}
    UNWIND rules AS reaching
    WITH f, n, p, reaching.rule AS r
    WHERE {{ rule_reaches_named }}
    RETURN p {.id_type, .id_number, .name} AS person, r.rule_id AS rule_id, 'NAMED' AS reference,
           coalesce(n.effective_on, f.decided_on) AS basis,
           'NAMED' AS route, null AS role, n.capacity AS capacity, 'NAMES' AS edge_type,
           n {.capacity, .effective_on} AS edge, true AS on_basis, false AS named,
           {{ person_released }} AS released
    LIMIT $limit
    UNION ALL
    WITH f, s, rules WHERE s:Person AND size(rules) > 0
    MATCH (f)-[a:AGAINST]->(p:Person)
    UNWIND rules AS reaching
    WITH f, a, p, reaching.rule AS r
    WHERE {{ rule_reaches_subject }}
    RETURN p {.id_type, .id_number, .name} AS person, r.rule_id AS rule_id, 'SUBJECT' AS reference,
           f.decided_on AS basis,
           'SUBJECT' AS route, null AS role, null AS capacity, 'AGAINST' AS edge_type,
           properties(a) AS edge, true AS on_basis, false AS named,
           {{ person_released }} AS released
    LIMIT $limit
  }
  RETURN collect({person: person, rule_id: rule_id, reference: reference, basis: basis,
                  route: route, role: role, capacity: capacity, edge_type: edge_type,
                  edge: edge, on_basis: on_basis, named: named, released: released}) AS hits
}
RETURN stamp, finding, f.recorded_at AS recorded_at,
       f {.status_seq, .status_to, .status_effective, .status_recorded} AS history,
       category, applies, listed, enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person,
       [reaching IN rules | reaching.rule] AS rules, hits
