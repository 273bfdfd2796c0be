// fragment named_hits: after `MATCH (p)<-[n:NAMES]-(f)-[:AGAINST]->(s:Enterprise)` — every
// (finding, rule) whose named_capacities include the capacity the finding names the person with,
// the naming being in effect on $as_of as known at $known_at.
WITH p, n, s, f, {{ finding_state }}
WHERE (applies OR listed) AND {{ named_on }}
{{ list_type_in_force }}
{{ rules_in_force }}
WITH p, n, s, f, lt, r, applies, listed
WHERE {{ rule_reaches_named }}
RETURN {{ finding_fields }} AS finding, p {.id_type, .id_number, .name} AS person,
       s {.uscc, .name, .kind, .ownership, .region_code} AS enterprise,
       {{ rule_fields }} AS rule, coalesce(f.category, lt.category) AS category, 'NAMED' AS reference,
       coalesce(n.effective_on, f.decided_on) AS basis,
       'NAMED' AS route, null AS role, n.capacity AS capacity, 'NAMES' AS edge_type,
       n {.capacity, .effective_on} AS edge, true AS on_basis, false AS named,
       {{ person_released }} AS released,
       applies, listed
