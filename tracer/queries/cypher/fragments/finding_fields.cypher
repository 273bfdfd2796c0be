// fragment finding_fields: the finding `f` as answers show it, with its period's end as known at
// $known_at (`term_until`, null when open) and how that end was set (`term_basis`).
f {.finding_id, .subject_kind, .subject_id, .list_type, .category, .ground, .severe,
   .exit_restricted, .authority, .basis, .act_date, .decided_on, .status, .term_basis,
   .term_source,
   term_until: [x IN [last([i IN range(0, size(coalesce(f.term_until, [])) - 1)
                           WHERE f.term_known_from[i] <= $known_at | f.term_until[i]])]
                WHERE x < date('9999-12-31')][0]}
