// fragment rule_reference: the reference date rule `r` uses for findings of list type version
// `lt` (the rule's own, else the list type's person_reference, else ACT_DATE).
CASE WHEN r.reference <> '' THEN r.reference
     ELSE coalesce(lt.person_reference, 'ACT_DATE') END
