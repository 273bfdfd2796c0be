// fragment rule_fields: rule `r` as the engine reads it from a hit (what decides the route, the
// measures and the evidence) — not its table columns (validity, conditions), already applied.
r {.rule_id, .name, .effect, .source, .measures, .eligible_measures, .list_measure_classes,
   .requires_list_measures, .ban_years, .roles, .roles_if_named, .named_capacities,
   .person_subjects, .reaches_organisations, .subject_requires}
