// fragment role_hits: after `MATCH (p)-[h:HOLDS|OWNS|REGISTERED_AT]->(s:Enterprise)<-[:AGAINST]-(f)`
// — every (finding, rule, position) where a rule reaches the position's role (by role, or by role
// and being named DIRECTLY_RESPONSIBLE) and the position overlaps the act period up to $as_of:
// the caller decides liability (held on the reference date) and exposure (in office during the
// act period, appointed later, released, named-only lists) from the flags returned.
WITH p, h, s, f, {{ finding_state }}
WHERE applies OR listed
WITH p, h, s, f, applies, listed, properties(h) AS hp,
     CASE type(h) WHEN 'OWNS' THEN 'SHAREHOLDER'
                  WHEN 'REGISTERED_AT' THEN 'REGISTERED_PRACTITIONER'
                  ELSE h.role END AS role
WHERE (hp.start_date IS NULL OR hp.start_date <= $as_of)
  AND (hp.end_date IS NULL OR hp.end_date >= coalesce(f.act_date, f.decided_on))
{{ list_type_in_force }}
{{ rules_in_force }}
WITH p, h, hp, s, f, lt, r, role, applies, listed,
     CASE WHEN r.reference <> '' THEN r.reference
          ELSE coalesce(lt.person_reference, 'ACT_DATE') END AS reference
WHERE role IN r.roles OR role IN r.roles_if_named
WITH p, h, hp, s, f, lt, r, role, applies, listed, reference,
     CASE reference WHEN 'DECIDED_ON' THEN f.decided_on
                    ELSE coalesce(f.act_date, f.decided_on) END AS basis
RETURN {{ finding_fields }} AS finding, p {.id_type, .id_number, .name} AS person,
       s {.uscc, .name, .kind, .ownership, .region_code} AS enterprise,
       {{ rule_fields }} AS rule, coalesce(f.category, lt.category) AS category, reference, basis,
       'ROLE' AS route, role, null AS capacity, type(h) AS edge_type, hp AS edge,
       (hp.start_date IS NULL OR hp.start_date <= basis)
         AND (hp.end_date IS NULL OR hp.end_date >= basis) AS on_basis,
       EXISTS { MATCH (f)-[n:NAMES {capacity: 'DIRECTLY_RESPONSIBLE'}]->(p)
                WHERE {{ named_on }} } AS named,
       {{ person_released }} AS released,
       applies, listed
