// fragment subject_hits: after `MATCH (p)<-[a:AGAINST]-(f)` with `s` = p — every rule that applies
// to a finding against a natural person (person_subjects), the person being liable as the subject
// itself (R8 also needs the finding's exit_restricted).
WITH p, a, s, f, {{ finding_state }}
WHERE applies OR listed
{{ list_type_in_force }}
{{ rules_in_force }}
WITH p, a, s, f, lt, r, applies, listed
WHERE {{ rule_reaches_subject }}
RETURN {{ finding_fields }} AS finding, p {.id_type, .id_number, .name} AS person, null AS enterprise,
       {{ rule_fields }} AS rule, coalesce(f.category, lt.category) AS category, 'SUBJECT' AS reference,
       f.decided_on AS basis,
       'SUBJECT' AS route, null AS role, null AS capacity, 'AGAINST' AS edge_type,
       properties(a) AS edge, true AS on_basis, false AS named,
       {{ person_released }} AS released,
       applies, listed
