// fragment role_hits: after `MATCH (p)-[h:HOLDS|OWNS|REGISTERED_AT]->(s:Enterprise)<-[:AGAINST]-(f)`
// — every (finding, rule, position) where a rule reaches the position's role (by role, or by role
// and being named DIRECTLY_RESPONSIBLE) and the position overlaps the act period up to $as_of:
// the caller decides liability (held on the reference date) and exposure (in office during the
// act period, appointed later, released, named-only lists) from the flags returned.
WITH p, h, s, f, {{ finding_state }}
WHERE applies OR listed
WITH p, h, s, f, applies, listed, properties(h) AS hp,
     {{ position_role }} AS role
WHERE {{ position_in_act_period }}
{{ list_type_in_force }}
{{ rules_in_force }}
WITH p, h, hp, s, f, lt, r, role, applies, listed, {{ rule_reference }} AS reference
WHERE {{ rule_reaches_role }}
WITH p, h, hp, s, f, lt, r, role, applies, listed, reference, {{ reference_basis }} AS basis
RETURN {{ finding_fields }} AS finding, p {.id_type, .id_number, .name} AS person,
       s {.uscc, .name, .kind, .ownership, .region_code} AS enterprise,
       {{ rule_fields }} AS rule, coalesce(f.category, lt.category) AS category, reference, basis,
       'ROLE' AS route, role, null AS capacity, type(h) AS edge_type, hp AS edge,
       {{ position_on_basis }} AS on_basis,
       {{ named_responsible }} AS named,
       {{ person_released }} AS released,
       applies, listed
