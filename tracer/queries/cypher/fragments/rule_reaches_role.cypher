// fragment rule_reaches_role: rule `r` (a node, or its rule_fields) reaches `role`, by the role
// alone or by the role and being named DIRECTLY_RESPONSIBLE (the caller tells which).
role IN r.roles OR role IN r.roles_if_named
