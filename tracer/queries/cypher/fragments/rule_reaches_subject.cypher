// fragment rule_reaches_subject: rule `r` (a node, or its rule_fields) reaches the natural person
// finding `f` is against (R8 also needs the finding's exit_restricted).
r.person_subjects
AND (r.subject_requires = '' OR (r.subject_requires = 'EXIT_RESTRICTED' AND f.exit_restricted))
